import { TOPICS, toWireMessage } from '@fleetjobs/contracts';
import { queryPrepared, UnitOfWork } from '@fleetjobs/persistence-pg';
import { classifyFailure } from '@fleetjobs/rollout';
import { DISPATCHER_SCHEMA as S } from '../dispatcher.schema';
import { DeviceOutcome, outcomeEnvelope, workKey } from './dispatch-events';

/** An outcome as recorded. */
export interface RecordedOutcome {
  job_id: string;
  device_id: string;
  status: string;
  failure_kind: string | null;
}

/**
 * Records outcomes still held by this worker and writes their events to the outbox, in one
 * statement: for jobs without a rollout, which keep no counters, that is the whole change.
 * Each event is written only for a device whose outcome this statement recorded, and says the
 * attempts the row holds.
 */
export async function recordPlainOutcomes(uow: UnitOfWork, workerId: string, outcomes: DeviceOutcome[]): Promise<RecordedOutcome[]> {
  const unique = [...new Map(outcomes.map((outcome) => [workKey(outcome.jobId, outcome.deviceId), outcome])).values()];
  const now = new Date().toISOString();
  // The event's data without its attempts: the statement appends them (the last member, as
  // `outcomeEnvelope` writes them) from the row it updated.
  const messages = unique.map((outcome) => toWireMessage(TOPICS.jobs, outcomeEnvelope({ ...outcome, attempts: undefined }, now)));
  return uow.runStatement(async (executor, outbox) => {
    const recorded = await queryPrepared<RecordedOutcome>(
      executor,
      `WITH v AS (
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $7::text[], $8::text[], $9::text[])
           WITH ORDINALITY AS v(job_id, device_id, status, error, kind, key, headers, value, n)
       ), done AS (
         UPDATE ${S}.operations o SET status = v.status, error = v.error, failure_kind = v.kind, done_at = now()
         FROM v WHERE o.job_id = v.job_id AND o.device_id = v.device_id AND o.status = 'in_flight' AND o.worker_id = $6
         RETURNING o.job_id, o.device_id, o.status, o.failure_kind, o.attempts + 1 AS attempts
       ), published AS (
         INSERT INTO ${outbox} (topic, key, headers, value)
         SELECT $10, v.key, v.headers::jsonb, left(v.value, -1) || ',"attempts":' || d.attempts || '}'
         FROM done d JOIN v ON v.job_id = d.job_id AND v.device_id = d.device_id
         ORDER BY v.n
       )
       SELECT job_id, device_id, status, failure_kind FROM done`,
      [
        unique.map((outcome) => outcome.jobId),
        unique.map((outcome) => outcome.deviceId),
        unique.map((outcome) => (outcome.ok ? 'completed' : 'failed')),
        unique.map((outcome) => outcome.error),
        unique.map((outcome) => (outcome.ok ? null : classifyFailure(outcome.error ?? 'failed'))),
        workerId,
        messages.map((message) => message.key),
        messages.map((message) => JSON.stringify(message.headers)),
        messages.map((message) => message.value),
        TOPICS.jobs,
      ],
    );
    return { result: recorded, published: recorded.length };
  });
}
