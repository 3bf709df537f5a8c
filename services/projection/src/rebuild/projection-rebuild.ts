import { EventLog } from '@fleetjobs/messaging';
import { DataSource } from 'typeorm';
import { PROJECTION_SCHEMA as S } from '../projection.tokens';

/**
 * The tables folded from the jobs and devices topics. Dead letters are not among them: they
 * record what could never be read, and a replay records those messages again anyway.
 */
export const READ_MODEL_TABLES = ['jobs', 'job_devices', 'deleted_devices', 'job_rollout_progress', 'job_rollout_batches', 'audit_entries', 'job_status_changes'].map(
  (table) => `${S}.${table}`,
);

/**
 * Empties the read models, in one statement so that no reader sees some tables emptied and others
 * not. Run it while no projection consumes, then consume again as a group new to the topics
 * (`replayingAs`): the read models are folded again from the earliest retained event.
 */
export async function truncateReadModels(dataSource: DataSource): Promise<void> {
  await dataSource.query(`TRUNCATE ${READ_MODEL_TABLES.join(', ')}`);
}

/**
 * The event log with every consumer group renamed `<group>.<generation>`: a group new to the
 * topics starts at their earliest retained message, so the projection replays the whole history
 * without touching the committed positions of the group it replaces.
 */
export function replayingAs(eventLog: EventLog, generation: string): EventLog {
  return {
    ensureTopics: (topics, partitions) => eventLog.ensureTopics(topics, partitions),
    publish: (messages) => eventLog.publish(messages),
    subscribe: (options) => eventLog.subscribe({ ...options, groupId: `${options.groupId}.${generation}` }),
    ping: () => eventLog.ping(),
    close: () => eventLog.close(),
  };
}
