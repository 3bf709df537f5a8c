import { Inject, Injectable } from '@nestjs/common';
import { JobOperation } from '@fleetjobs/contracts';
import { DEVICE_GATEWAY, DeviceGateway, HubThrottledError, MutationRefused, OperationOutcome, PreviousValue } from '@fleetjobs/device-gateway';
import { JobControlStore } from '@fleetjobs/persistence-pg';
import { classifyFailure, retryDecision } from '@fleetjobs/rollout';
import { DATA_SOURCE } from '@fleetjobs/runtime';
import { DataSource } from 'typeorm';
import { DISPATCHER_CONFIG, DispatcherConfig, JOB_CONTROL_DATA_SOURCE } from '../dispatcher.config';
import { dispatcherMetrics } from '../dispatcher.metrics';
import { withRunSignals } from '../rollout/rate-signals.repository';
import { ClaimedWork, DeviceOutcome, DeviceRelease } from '../work/dispatch-events';
import { SendMarks, SendMarkStore } from '../work/send-marks';
import { CLAIM_LOST, DeviceRequestGate, GateUnavailable } from './device-request.gate';
import { HubRateLimiter } from './hub-rate.limiter';
import { SignalledRequestGate } from './signalled-request.gate';
import { HubPacingRepository } from './hub-rate.repository';
import { JOB_HALTED, JOB_PAUSED, JobPermits } from './job-permits';
import { PreviousValuesRepository } from './previous-values.repository';
import { revertOperations } from './revert-operations';

/** Attempts that end without an outcome (the hub unreachable) before the device fails. */
export const MAX_ATTEMPTS = 5;

/** A device handed back because its job is paused is not claimed again before this long. */
const PAUSED_RELEASE_DELAY_MS = 1000;

/** How a claimed device ended: an outcome, handed back undone, or taken away from this worker. */
export type RunResult =
  | { kind: 'outcome'; outcome: DeviceOutcome }
  | { kind: 'release'; release: DeviceRelease }
  | { kind: 'lost' };

const REDRIVABLE: ReadonlySet<JobOperation['type']> = new Set(['property', 'setting']);

/** Carries out every operation of a job on one device, in order, and says how it ended. */
@Injectable()
export class DeviceOperationRunner {
  private readonly limiter: HubRateLimiter;
  readonly permits: JobPermits;
  /** Where the workers' send marks, and the values kept with them, are written. */
  readonly markStore: SendMarkStore;

  constructor(
    @Inject(DEVICE_GATEWAY) private readonly gateway: DeviceGateway,
    @Inject(DISPATCHER_CONFIG) private readonly config: DispatcherConfig,
    @Inject(JOB_CONTROL_DATA_SOURCE) jobControl: DataSource,
    @Inject(DATA_SOURCE) dispatcherDatabase: DataSource,
    private readonly previousValues: PreviousValuesRepository,
  ) {
    // The limit is the deployment's: every dispatcher takes its send slots from one schedule in the shared schema.
    this.limiter = new HubRateLimiter(config.hubRateLimitPerSecond, new HubPacingRepository(dispatcherDatabase));
    this.markStore = previousValues;
    this.permits = new JobPermits(new JobControlStore(), jobControl, config.permitLeaseMs, config.permitMarginMs);
  }

  async run(unit: ClaimedWork, marks: SendMarks): Promise<RunResult> {
    // In one process (orphanAfterMs 0) no other worker can take a claim over while this one runs.
    const claimWindowMs = this.config.orphanAfterMs > 0 ? this.config.orphanAfterMs / 2 : Number.POSITIVE_INFINITY;
    const gate = new SignalledRequestGate(unit, this.permits, marks, this.limiter, claimWindowMs);
    const startedAt = Date.now();
    return withRunSignals(await this.carryOut(unit, gate), gate, Date.now() - startedAt);
  }

  private async carryOut(unit: ClaimedWork, gate: DeviceRequestGate): Promise<RunResult> {
    const { jobId, deviceId } = unit;
    let operations = unit.operations;
    let notRevertible: string | null = null;
    const release = (redrive: boolean, error: string | null, options: { halted?: boolean; counted?: boolean } = {}): RunResult => ({
      kind: 'release',
      release: { jobId, deviceId, redrive, error, halted: options.halted ?? false, counted: options.counted ?? error !== null },
    });
    const recordFailure = (error: string): RunResult => ({ kind: 'outcome', outcome: { jobId, deviceId, ok: false, error } });
    // A job with retries of its own tries a failed device again, per kind of failure.
    const fail = (error: string, operation: JobOperation = operations[0]): RunResult => {
      if (!unit.rollout?.retries) return recordFailure(error);
      const kind = classifyFailure(error);
      const decision = retryDecision({ kind, operationType: operation.type, attempt: unit.attempts + 1, retries: unit.rollout.retries, sent: gate.mayHaveSent });
      if (!decision.retry) return recordFailure(error);
      const redrive = gate.mayHaveSent && operations.every((candidate) => REDRIVABLE.has(candidate.type));
      return { kind: 'release', release: { jobId, deviceId, redrive, error, halted: false, counted: true, delayMs: decision.delayMs } };
    };
    try {
      const revertOf = await this.previousValues.revertOf(jobId);
      if (revertOf !== null) {
        ({ operations, notRevertible } = revertOperations(revertOf, operations, await this.previousValues.recordedOn(revertOf, deviceId)));
      }
    } catch (error) {
      return release(false, `the values to revert to could not be read: ${describe(error)}`, { counted: false });
    }
    // What each operation replaces is kept before it is sent (by the gate, with the send mark); an
    // operation repeated in the job keeps the first. One operation hears again only after the hub
    // refused its write (412: the twin changed since it was read, nothing applied), and what it read
    // then replaces what it read before.
    const kept = new Set<string>();
    const recordPrevious = (operation: JobOperation) => {
      let heard = false;
      return async (previous: PreviousValue) => {
        const key = `${operation.type}\u0000${operation.name}`;
        if (kept.has(key) && !heard) return;
        heard = true;
        kept.add(key);
        gate.keepBeforeSend({ kind: operation.type, name: operation.name, previous });
      };
    };
    for (const [index, operation] of operations.entries()) {
      let outcome: OperationOutcome;
      try {
        outcome = await this.runOne(unit, operation, gate, recordPrevious(operation));
      } catch (error) {
        if (error instanceof MutationRefused) {
          if (error.message === CLAIM_LOST) return { kind: 'lost' };
          // Paused before anything was sent, or with only what a re-drive finishes: back to pending,
          // no attempt counted, nothing concluded.
          if (error.message === JOB_PAUSED && (!gate.mayHaveSent || operations.every((candidate) => REDRIVABLE.has(candidate.type)))) {
            const redrive = gate.mayHaveSent;
            return { kind: 'release', release: { jobId, deviceId, redrive, error: null, halted: false, counted: false, delayMs: PAUSED_RELEASE_DELAY_MS } };
          }
          if (!gate.mayHaveSent) return release(false, null, { halted: error.message === JOB_HALTED });
          return recordFailure(`the job was stopped after ${index} of ${operations.length} operations`);
        }
        // Nothing sent, or only what a re-drive from the twin can finish without applying twice.
        const canRunAgain = !gate.mayHaveSent || operations.every((candidate) => REDRIVABLE.has(candidate.type));
        if (error instanceof GateUnavailable) {
          return canRunAgain ? release(gate.mayHaveSent, error.message, { counted: false }) : recordFailure(`outcome unknown: ${error.message}`);
        }
        const reason = error instanceof HubThrottledError ? 'the hub kept throttling the request' : `the hub could not be reached: ${describe(error)}`;
        if (canRunAgain && unit.attempts + 1 < MAX_ATTEMPTS) return release(gate.mayHaveSent, reason);
        return fail(reason, operation);
      }
      dispatcherMetrics.operations.inc({ type: operation.type, outcome: outcome.ok ? 'succeeded' : 'failed' });
      if (!outcome.ok) {
        const prefix = operations.length > 1 ? `${operation.type} ${operation.name}: ` : '';
        return fail(`${prefix}${outcome.error}`, operation);
      }
    }
    // What cannot be reverted here fails the device once the rest is put back; no retry changes it.
    if (notRevertible !== null) return recordFailure(notRevertible);
    return { kind: 'outcome', outcome: { jobId, deviceId, ok: true, error: null } };
  }

  private async runOne(
    unit: ClaimedWork,
    operation: JobOperation,
    gate: DeviceRequestGate,
    recordPrevious: (previous: PreviousValue) => Promise<void>,
  ): Promise<OperationOutcome> {
    const { deviceId, redrive } = unit;
    // A rollout's timeout replaces the dispatcher's own for every device of its job.
    const timeoutMs = unit.rollout?.timeoutSeconds ? unit.rollout.timeoutSeconds * 1000 : null;
    // Its twin writes too, which otherwise wait as long as the hub takes to answer.
    const writeTimeoutMs = timeoutMs ?? undefined;
    const stopTimer = dispatcherMetrics.operationSeconds.startTimer({ type: operation.type });
    try {
      switch (operation.type) {
        case 'property':
          return await this.gateway.applyProperty(deviceId, operation.name, operation.value, { gate, redrive, writeTimeoutMs, recordPrevious });
        case 'setting':
          return await this.gateway.applySetting(deviceId, operation.name, operation.value, {
            gate,
            redrive,
            ackTimeoutMs: timeoutMs ?? this.config.settingAckTimeoutMs,
            writeTimeoutMs,
            recordPrevious,
          });
        case 'command':
          return await this.gateway.invokeCommand(deviceId, operation.name, operation.value, {
            gate,
            responseTimeoutMs: timeoutMs ?? this.config.commandTimeoutMs,
          });
      }
    } finally {
      stopTimer();
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
