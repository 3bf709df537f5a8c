import { CE_HEADERS, WireMessage } from './envelope';

/**
 * Every job-related event, whichever service decides it, goes to one topic keyed by job id:
 * a job's lifecycle, its targets and its device outcomes then stay in order within a partition.
 */
export const TOPICS = {
  jobs: 'fleetjobs.jobs',
  /**
   * Every event of `fleetjobs.jobs` but the device outcomes, in the same order per job: for the
   * consumers that follow jobs and not each device, which then do not read a message per device.
   */
  jobLifecycle: 'fleetjobs.jobs.lifecycle',
  /** Templates, devices and device sets, keyed by the entity's id. */
  devices: 'fleetjobs.devices',
  /** API tokens created and revoked, keyed by the token's id. */
  access: 'fleetjobs.access',
} as const;

export type Topic = (typeof TOPICS)[keyof typeof TOPICS];

export const ALL_TOPICS: Topic[] = [TOPICS.jobs, TOPICS.jobLifecycle, TOPICS.devices, TOPICS.access];

/** Partitions per topic when the product creates its topics. */
export const DEFAULT_PARTITIONS = 8;

/** The events of `fleetjobs.jobs` that `fleetjobs.jobs.lifecycle` leaves out: one per device of a job. */
export const DEVICE_OUTCOME_TYPES: readonly string[] = ['DeviceSucceeded', 'DeviceFailed'];

/**
 * The messages with, right after each one for `fleetjobs.jobs` that is not a device outcome, its
 * copy for `fleetjobs.jobs.lifecycle`. A topic name given a namespace prefix (`<namespace>.fleetjobs.jobs`)
 * keeps it (`<namespace>.fleetjobs.jobs.lifecycle`). A message without an event type is copied too:
 * the lifecycle consumers are the ones to judge it. The same array when there is nothing to copy.
 */
export function withLifecycleCopies(messages: WireMessage[]): WireMessage[] {
  let copied: WireMessage[] | undefined;
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i];
    const lifecycleTopic = lifecycleTopicOf(message);
    if (lifecycleTopic === undefined) {
      copied?.push(message);
      continue;
    }
    copied ??= messages.slice(0, i);
    copied.push(message, { ...message, topic: lifecycleTopic });
  }
  return copied ?? messages;
}

function lifecycleTopicOf(message: WireMessage): string | undefined {
  const { topic } = message;
  if (topic !== TOPICS.jobs && !topic.endsWith(`.${TOPICS.jobs}`)) return undefined;
  if (DEVICE_OUTCOME_TYPES.includes(message.headers[CE_HEADERS.type])) return undefined;
  return topic.slice(0, topic.length - TOPICS.jobs.length) + TOPICS.jobLifecycle;
}
