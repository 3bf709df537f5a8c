import {
  ActorRef,
  JobApprovalRequirement,
  JobApprovedData,
  JobCompletedData,
  JobCreatedData,
  JobFailedData,
  JobOperation,
  JobPausedData,
  JobReleasedData,
  JobResumedData,
  JobSchedule,
  JobStartReachedData,
  JobSettledData,
  JobSettledStatus,
  JobStartedData,
  JobStatus,
  JobStoppedData,
  Rollout,
} from '@fleetjobs/contracts';
import { assertNever, Decider } from '@fleetjobs/event-sourcing';
import { JobAlreadyEnded, JobIdTakenByAnotherDefinition, JobNotFound, JobNotPaused, SelfApproval } from './job.errors';

/** What a user asks a job to be; two requests with equal definitions are the same job. */
export interface JobDefinition {
  displayName: string;
  description: string;
  deviceSet: string;
  devices: string[] | null;
  operations: JobOperation[];
  /** Part of the definition: the same job asked with another rollout is another definition. */
  rollout?: Rollout;
  /** Part of the definition: when the job may start. */
  schedule?: JobSchedule;
  /**
   * The job this one reverts: each operation puts back, per device, what that job's operation of
   * the same type and name replaced. Part of the definition: a body cannot ask for it.
   */
  revertOf?: string;
}

export type JobEvent =
  | { type: 'JobCreated'; data: JobCreatedData }
  | { type: 'JobApproved'; data: JobApprovedData }
  | { type: 'JobStartReached'; data: JobStartReachedData }
  | { type: 'JobReleased'; data: JobReleasedData }
  | { type: 'JobStarted'; data: JobStartedData }
  | { type: 'JobStopped'; data: JobStoppedData }
  | { type: 'JobPaused'; data: JobPausedData }
  | { type: 'JobResumed'; data: JobResumedData }
  | { type: 'JobCompleted'; data: JobCompletedData }
  | { type: 'JobFailed'; data: JobFailedData }
  | { type: 'JobSettled'; data: JobSettledData };

export type JobCommand =
  | {
      type: 'CreateJob';
      jobId: string;
      definition: JobDefinition;
      template: string;
      now: string;
      /** Set when the job must wait for a second person's approval (not part of the definition). */
      approval?: JobApprovalRequirement;
      createdBy?: ActorRef;
      /** The job this one reruns (not part of the definition). */
      rerunOf?: string;
      /** The active jobs it waits for (`onConflict: queue`; not part of the definition). */
      waitingFor?: string[];
      /** The recurring schedule it is a run of, and which run (not part of the definition). */
      scheduleRun?: { scheduleId: string; run: number };
    }
  | { type: 'ApproveJob'; jobId: string; approver: ActorRef; now: string }
  | { type: 'ReachStart'; jobId: string; now: string }
  | { type: 'ReleaseJob'; jobId: string; now: string }
  | { type: 'StartJob'; jobId: string; total: number; now: string }
  | { type: 'FailTargeting'; jobId: string; reason: string; now: string }
  | { type: 'FinishJob'; jobId: string; completed: number; failed: number; notStarted: number; now: string; abortReason?: string }
  | { type: 'StopJob'; jobId: string; now: string }
  | { type: 'PauseJob'; jobId: string; now: string }
  | { type: 'ResumeJob'; jobId: string; now: string };

export type JobState =
  | { status: 'none' }
  | {
      /** Where the job is in its lifecycle; a paused job stays pending or running underneath. */
      status: Exclude<JobStatus, 'paused'>;
      jobId: string;
      definition: JobDefinition;
      createdAt: string;
      total: number | null;
      /** Paused and not resumed since: it starts nothing new (only while pending or running). */
      paused: boolean;
      /** Who asked for the job; null when no actor was known. */
      createdBy: ActorRef | null;
      /** Null when the job runs without approval. */
      approval: (JobApprovalRequirement & { approvedBy: ActorRef | null; approvedAt: string | null }) | null;
      /** The job this one reruns; null for a job created from a body. */
      rerunOf: string | null;
      /** How many devices failed, as the job's end counted them; null unless it ended failed. */
      failedCount: number | null;
      /** When a scheduled job may start; null for a job that starts at once. */
      startAt: string | null;
      /** The scheduled start was reached (`JobStartReached`): it may be targeted. */
      startReached: boolean;
      /** The jobs it was queued behind (`onConflict: queue`); empty when it was not queued. */
      waitingFor: string[];
      /** Every job it waited for has ended (`JobReleased`). */
      released: boolean;
      /** When its last event (`JobSettled`) was written, after which nothing of it is reported; null before. */
      settledAt: string | null;
      /** The recurring schedule it is a run of, and which run; null for any other job. */
      scheduleRun: { scheduleId: string; run: number } | null;
    };

const ACTIVE: JobStatus[] = ['pending', 'running'];

/** The status a user sees: `paused` while a pending or running job is paused. */
export function visibleStatus(state: Exclude<JobState, { status: 'none' }>): JobStatus {
  return state.paused && ACTIVE.includes(state.status) ? 'paused' : state.status;
}

/** Key order and absent optionals must not make two equal definitions differ. */
export function sameDefinition(a: JobDefinition, b: JobDefinition): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function createJob(command: Extract<JobCommand, { type: 'CreateJob' }>, state: JobState): JobEvent[] {
  if (state.status !== 'none') {
    if (sameDefinition(state.definition, command.definition)) return [];
    throw new JobIdTakenByAnotherDefinition(command.jobId);
  }
  const { approval, createdBy, rerunOf, waitingFor, scheduleRun } = command;
  return [
    {
      type: 'JobCreated',
      data: {
        jobId: command.jobId,
        ...command.definition,
        template: command.template,
        createdAt: command.now,
        ...(approval ? { approval } : {}),
        ...(createdBy ? { createdBy } : {}),
        ...(rerunOf ? { rerunOf } : {}),
        ...(waitingFor && waitingFor.length > 0 ? { waitingFor } : {}),
        ...(scheduleRun ? { scheduleId: scheduleRun.scheduleId, scheduleRun: scheduleRun.run } : {}),
      },
    },
  ];
}

/** Whether the job still waits in its queue for other jobs to end: nothing of it may be targeted yet. */
export function awaitsRelease(state: JobState): boolean {
  return state.status === 'pending' && state.waitingFor.length > 0 && !state.released;
}

/**
 * Every job a queued job waited for has ended (the queue tells). Released last, after its approval
 * and its scheduled start (device-set targets it on this event); never once it is no longer pending.
 */
function releaseJob(command: Extract<JobCommand, { type: 'ReleaseJob' }>, state: JobState): JobEvent[] {
  if (!awaitsRelease(state) || awaitsApproval(state) || awaitsStart(state)) return [];
  return [{ type: 'JobReleased', data: { jobId: command.jobId, releasedAt: command.now } }];
}

/** Whether the job still waits for its approval: nothing of it may be targeted or sent yet. */
export function awaitsApproval(state: JobState): boolean {
  return state.status !== 'none' && state.approval !== null && state.approval.approvedAt === null;
}

function approveJob(command: Extract<JobCommand, { type: 'ApproveJob' }>, state: JobState): JobEvent[] {
  if (state.status === 'none') throw new JobNotFound(command.jobId);
  if (!awaitsApproval(state)) return [];
  if (!ACTIVE.includes(state.status)) throw new JobAlreadyEnded(command.jobId, state.status, 'approved');
  if (state.createdBy?.id === command.approver.id) throw new SelfApproval(command.jobId, command.approver.id);
  const approved: JobEvent = { type: 'JobApproved', data: { jobId: command.jobId, approvedAt: command.now, approvedBy: command.approver } };
  // Approved after its start time: it starts now, as the start time could not release it.
  return [approved, ...reachStart({ type: 'ReachStart', jobId: command.jobId, now: command.now }, evolve(state, approved))];
}

/** Whether the job waits for its scheduled start: nothing of it may be targeted yet. */
export function awaitsStart(state: JobState): boolean {
  return state.status === 'pending' && state.startAt !== null && !state.startReached;
}

/** A scheduled job starts once its time has come and, if it needs approval, once approved. */
function reachStart(command: Extract<JobCommand, { type: 'ReachStart' }>, state: JobState): JobEvent[] {
  if (state.status === 'none' || !awaitsStart(state) || state.startAt === null) return [];
  if (Date.parse(command.now) < Date.parse(state.startAt) || awaitsApproval(state)) return [];
  return [{ type: 'JobStartReached', data: { jobId: command.jobId, startAt: state.startAt, reachedAt: command.now } }];
}

function startJob(command: Extract<JobCommand, { type: 'StartJob' }>, state: JobState): JobEvent[] {
  if (state.status !== 'pending') return [];
  return [{ type: 'JobStarted', data: { jobId: command.jobId, total: command.total, startedAt: command.now } }];
}

function failTargeting(command: Extract<JobCommand, { type: 'FailTargeting' }>, state: JobState): JobEvent[] {
  if (state.status !== 'pending') return [];
  return [
    {
      type: 'JobFailed',
      data: { jobId: command.jobId, reason: command.reason, completed: 0, failed: 0, endedAt: command.now },
    },
  ];
}

function finishJob(command: Extract<JobCommand, { type: 'FinishJob' }>, state: JobState): JobEvent[] {
  if (state.status === 'none' || state.settledAt !== null) return [];
  const { jobId, completed, failed, notStarted, now } = command;
  const settle = (status: JobSettledStatus): JobEvent => ({
    type: 'JobSettled',
    data: { jobId, status, completed, failed, notStarted, settledAt: now },
  });
  // Ended already (stopped, or failed targeting): the dispatch's end is what makes it final.
  if (state.status !== 'running' && state.status !== 'pending') return [settle(state.status)];
  if (command.abortReason) {
    return [{ type: 'JobFailed', data: { jobId, reason: command.abortReason, completed, failed, endedAt: now } }, settle('failed')];
  }
  if (failed === 0 && notStarted === 0) {
    return [{ type: 'JobCompleted', data: { jobId, completed, endedAt: now } }, settle('completed')];
  }
  const total = completed + failed + notStarted;
  return [
    {
      type: 'JobFailed',
      data: { jobId, reason: `${failed} of ${total} devices failed`, completed, failed, endedAt: now },
    },
    settle('failed'),
  ];
}

/**
 * Whether any device of the job may have been targeted: until then no outcome can follow, so a
 * job stopped before it settles at once; after, its settling waits for the dispatch's end.
 */
export function mayHaveTargets(state: Exclude<JobState, { status: 'none' }>): boolean {
  return !awaitsApproval(state) && !awaitsStart(state) && !awaitsRelease(state);
}

function stopJob(command: Extract<JobCommand, { type: 'StopJob' }>, state: JobState): JobEvent[] {
  if (state.status === 'none') throw new JobNotFound(command.jobId);
  if (state.status === 'stopped') return [];
  if (!ACTIVE.includes(state.status)) throw new JobAlreadyEnded(command.jobId, state.status);
  const stopped: JobEvent = { type: 'JobStopped', data: { jobId: command.jobId, stoppedAt: command.now } };
  if (mayHaveTargets(state)) return [stopped];
  const settled: JobEvent = {
    type: 'JobSettled',
    data: { jobId: command.jobId, status: 'stopped', completed: 0, failed: 0, notStarted: 0, settledAt: command.now },
  };
  return [stopped, settled];
}

function pauseJob(command: Extract<JobCommand, { type: 'PauseJob' }>, state: JobState): JobEvent[] {
  if (state.status === 'none') throw new JobNotFound(command.jobId);
  if (!ACTIVE.includes(state.status)) throw new JobAlreadyEnded(command.jobId, state.status, 'paused');
  if (state.paused) return [];
  return [{ type: 'JobPaused', data: { jobId: command.jobId, pausedAt: command.now } }];
}

function resumeJob(command: Extract<JobCommand, { type: 'ResumeJob' }>, state: JobState): JobEvent[] {
  if (state.status === 'none') throw new JobNotFound(command.jobId);
  if (!ACTIVE.includes(state.status)) throw new JobAlreadyEnded(command.jobId, state.status, 'resumed');
  if (!state.paused) throw new JobNotPaused(command.jobId, state.status);
  return [{ type: 'JobResumed', data: { jobId: command.jobId, resumedAt: command.now } }];
}

export function decide(command: JobCommand, state: JobState): JobEvent[] {
  switch (command.type) {
    case 'CreateJob':
      return createJob(command, state);
    case 'ApproveJob':
      return approveJob(command, state);
    case 'ReachStart':
      return reachStart(command, state);
    case 'ReleaseJob':
      return releaseJob(command, state);
    case 'StartJob':
      return startJob(command, state);
    case 'FailTargeting':
      return failTargeting(command, state);
    case 'FinishJob':
      return finishJob(command, state);
    case 'StopJob':
      return stopJob(command, state);
    case 'PauseJob':
      return pauseJob(command, state);
    case 'ResumeJob':
      return resumeJob(command, state);
    default:
      return assertNever(command);
  }
}

export function evolve(state: JobState, event: JobEvent): JobState {
  switch (event.type) {
    case 'JobCreated': {
      const { jobId, displayName, description, deviceSet, devices, operations, rollout, schedule, createdAt, approval, createdBy, rerunOf, waitingFor } = event.data;
      return {
        status: 'pending',
        jobId,
        definition: { displayName, description, deviceSet, devices, operations, ...(rollout ? { rollout } : {}), ...(schedule ? { schedule } : {}), ...(event.data.revertOf ? { revertOf: event.data.revertOf } : {}) },
        createdAt,
        total: null,
        paused: false,
        createdBy: createdBy ?? null,
        approval: approval ? { ...approval, approvedBy: null, approvedAt: null } : null,
        rerunOf: rerunOf ?? null,
        failedCount: null,
        startAt: schedule?.startAt ?? null,
        startReached: false,
        waitingFor: waitingFor ?? [],
        released: false,
        settledAt: null,
        scheduleRun: event.data.scheduleId !== undefined && event.data.scheduleRun !== undefined ? { scheduleId: event.data.scheduleId, run: event.data.scheduleRun } : null,
      };
    }
    case 'JobApproved':
      return state.status === 'none' || state.approval === null
        ? state
        : { ...state, approval: { ...state.approval, approvedBy: event.data.approvedBy ?? null, approvedAt: event.data.approvedAt } };
    case 'JobStartReached':
      return state.status === 'none' ? state : { ...state, startReached: true };
    case 'JobReleased':
      return state.status === 'none' ? state : { ...state, released: true };
    case 'JobStarted':
      return state.status === 'none' ? state : { ...state, status: 'running', total: event.data.total };
    case 'JobStopped':
      return state.status === 'none' ? state : { ...state, status: 'stopped' };
    case 'JobPaused':
      return state.status === 'none' ? state : { ...state, paused: true };
    case 'JobResumed':
      return state.status === 'none' ? state : { ...state, paused: false };
    case 'JobCompleted':
      return state.status === 'none' ? state : { ...state, status: 'completed' };
    case 'JobFailed':
      return state.status === 'none' ? state : { ...state, status: 'failed', failedCount: event.data.failed };
    case 'JobSettled':
      return state.status === 'none' ? state : { ...state, settledAt: event.data.settledAt };
    default:
      return state;
  }
}

export const initialState = (): JobState => ({ status: 'none' });

export const jobDecider: Decider<JobCommand, JobEvent, JobState> = { decide, evolve, initialState };
