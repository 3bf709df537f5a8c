import { errors } from '../http/iot-hub-errors';
import { twinPatchLimitError } from '../hub-limits.admission';
import { header, json, Route, route } from '../http/hub-exchange';
import { PendingAckScheduler } from '../pending-ack.scheduler';
import { behaviourFromTags, twinWriteAnswerDelayMs } from '../simulated-device.behaviour';
import { SimulatorTimers } from '../simulator-timers';
import { TwinStore } from '../store/twin.store';
import { isJsonObject, renderTwin, TwinPatch, unquoteEtag } from '../twin-document';

/** `GET /twins/{id}` and `PATCH /twins/{id}` (tags and desired properties). */
export function twinRoutes(twins: TwinStore, acks: PendingAckScheduler, timers: SimulatorTimers): Route[] {
  return [
    route('GET', /^\/twins\/([^/]+)$/, async (_request, [deviceId]) => {
      const twin = await twins.get(deviceId);
      if (!twin) return errors.deviceNotFound(deviceId);
      const body = renderTwin(twin);
      return json(200, body, { etag: `"${String(body['etag'])}"` });
    }),

    route('PATCH', /^\/twins\/([^/]+)$/, async (request, [deviceId]) => {
      const patch = readTwinPatch(request.body);
      if (typeof patch === 'string') return errors.badRequest(patch);
      const refused = twinPatchLimitError(patch);
      if (refused) return refused;
      const result = await twins.patch(deviceId, patch, unquoteEtag(header(request, 'if-match')), request.requestId, request.arrivedAt);
      if (result.outcome === 'not-found') return errors.deviceNotFound(deviceId);
      if (result.outcome === 'etag-mismatch') return errors.preconditionFailed();
      if (result.outcome === 'refused') return result.answer;
      if (result.ackDueAt) acks.schedule(deviceId, result.ackDueAt);
      const holdMs = twinWriteAnswerDelayMs(behaviourFromTags(result.twin.state.tags), patch);
      if (!(await timers.wait(holdMs))) return errors.internal('the hub simulator is stopping');
      const body = renderTwin(result.twin);
      return json(200, body, { etag: `"${String(body['etag'])}"` });
    }),
  ];
}

/** The patch, or why it is refused. The service may write tags and desired properties only. */
function readTwinPatch(body: unknown): TwinPatch | string {
  if (!isJsonObject(body)) return 'the twin patch must be a JSON object';
  const { tags, properties } = body;
  if (tags !== undefined && tags !== null && !isJsonObject(tags)) return 'tags must be a JSON object';
  if (properties !== undefined && properties !== null && !isJsonObject(properties)) return 'properties must be a JSON object';
  const desired = isJsonObject(properties) ? properties['desired'] : undefined;
  if (isJsonObject(properties) && properties['reported'] !== undefined) return 'reported properties are written by the device';
  if (desired !== undefined && desired !== null && !isJsonObject(desired)) return 'properties.desired must be a JSON object';
  return {
    ...(isJsonObject(tags) ? { tags } : {}),
    ...(isJsonObject(desired) ? { desired } : {}),
  };
}
