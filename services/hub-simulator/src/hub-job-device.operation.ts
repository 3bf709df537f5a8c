import { methodCallLimitError } from './hub-limits.admission';
import { JobMethod } from './hub-job.document';
import { PendingAckScheduler } from './pending-ack.scheduler';
import { behaviourFromTags, reactToMethod } from './simulated-device.behaviour';
import { SimulatorTimers } from './simulator-timers';
import { DeviceJobOutcome } from './store/hub-job.store';
import { TwinStore } from './store/twin.store';
import { JsonObject, TwinPatch } from './twin-document';

/** What a job does on each of its devices. */
export interface RunnableJob {
  jobId: string;
  patch: TwinPatch | null;
  method: JobMethod | null;
}

/**
 * One job's operation on one device, as the hub runs it itself: the twin update (through the same
 * twin store as `PATCH /twins/{id}`, so the device reacts alike) or the direct method (answered by
 * the simulated device after its latency). Logged in the operation log with the request id
 * `job:<jobId>`.
 */
export class JobDeviceOperation {
  constructor(
    private readonly twins: TwinStore,
    private readonly acks: PendingAckScheduler,
    private readonly timers: SimulatorTimers,
  ) {}

  async run(job: RunnableJob, deviceId: string): Promise<DeviceJobOutcome> {
    const startTime = new Date();
    const ended = (status: 'completed' | 'failed', outcome: JsonObject | null, error: JsonObject | null): DeviceJobOutcome => ({
      deviceId,
      status,
      startTime,
      endTime: new Date(),
      outcome,
      error,
    });
    const requestId = `job:${job.jobId}`;
    if (job.patch) {
      const result = await this.twins.patch(deviceId, job.patch, undefined, requestId, startTime);
      if (result.outcome === 'not-found') return ended('failed', null, notFound(deviceId));
      if (result.outcome === 'refused') return ended('failed', null, { code: 'ArgumentInvalid', description: messageOf(result.answer.body) });
      if (result.outcome === 'etag-mismatch') return ended('failed', null, { code: 'PreconditionFailed', description: 'the etag does not match' });
      if (result.ackDueAt) this.acks.schedule(deviceId, result.ackDueAt);
      return ended('completed', { deviceMethodResponse: null }, null);
    }
    const method = job.method!;
    const refused = methodCallLimitError(method.methodName, method.payload);
    if (refused) return ended('failed', null, { code: 'ArgumentInvalid', description: messageOf(refused.body) });
    const tags = await this.twins.receiveMethodCall(
      deviceId,
      { deviceId, kind: 'method', name: method.methodName, payload: method.payload, requestId },
      startTime,
    );
    if (tags === null) return ended('failed', null, notFound(deviceId));
    const reaction = reactToMethod(behaviourFromTags(tags), method.methodName, {
      responseTimeoutMs: method.responseTimeoutInSeconds * 1000,
      connectTimeoutMs: method.connectTimeoutInSeconds * 1000,
    });
    if (!(await this.timers.wait(reaction.afterMs))) return ended('failed', null, { code: 'ServerError', description: 'the hub stopped' });
    switch (reaction.kind) {
      case 'device-not-online':
        return ended('failed', null, { code: 'DeviceNotOnline', description: 'Timed out waiting for device to connect.' });
      case 'timed-out':
        return ended('failed', null, { code: 'GatewayTimeout', description: 'Timed out waiting for the response from device.' });
      case 'device-answered':
        return ended('completed', { deviceMethodResponse: { status: reaction.status, payload: reaction.payload } }, null);
    }
  }
}

function notFound(deviceId: string): JsonObject {
  return { code: 'DeviceNotFound', description: `Device ${deviceId} not registered` };
}

function messageOf(body: unknown): string {
  const message = (body as { Message?: unknown } | undefined)?.Message;
  return typeof message === 'string' ? message.replace(/^ErrorCode:[^;]*;/, '') : 'refused';
}
