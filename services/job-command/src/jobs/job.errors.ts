import { DomainError } from '@fleetjobs/event-sourcing';

export class JobNotFound extends DomainError {
  readonly code = 'job-not-found';
  constructor(readonly jobId: string) {
    super(`job "${jobId}" does not exist`);
  }
}

/** A PUT with an id already used by a job with another definition. */
export class JobIdTakenByAnotherDefinition extends DomainError {
  readonly code = 'job-id-taken';
  constructor(readonly jobId: string) {
    super(`job "${jobId}" already exists with another definition`);
  }
}

/** Stop, pause or resume was asked of a job that already ended. */
export class JobAlreadyEnded extends DomainError {
  readonly code = 'job-already-ended';
  constructor(
    readonly jobId: string,
    readonly status: string,
    readonly asked: 'stopped' | 'paused' | 'resumed' | 'approved' = 'stopped',
  ) {
    super(`job "${jobId}" already ended (${status}); only a pending or running job can be ${asked}`);
  }
}

/** Resume was asked of a job that is pending or running and not paused. */
export class JobNotPaused extends DomainError {
  readonly code = 'job-not-paused';
  constructor(
    readonly jobId: string,
    readonly status: string,
  ) {
    super(`job "${jobId}" is not paused (${status}); only a paused job can be resumed`);
  }
}

/** The two-person rule: a job's creator asked to approve their own job. */
export class SelfApproval extends DomainError {
  readonly code = 'job-self-approval';
  constructor(
    readonly jobId: string,
    readonly actorId: string,
  ) {
    super(`job "${jobId}" was created by "${actorId}", who cannot also approve it; another person must`);
  }
}

/** A job would begin while MAX_ACTIVE_JOBS jobs are already pending, running or paused. */
export class TooManyActiveJobs extends DomainError {
  readonly code = 'too-many-active-jobs';
  constructor(readonly max: number) {
    super(`${max} jobs are already active, the most at once (MAX_ACTIVE_JOBS); wait for one to end, or stop one`);
  }
}

/** Rerun was asked of a job that has not ended yet. */
export class JobStillActive extends DomainError {
  readonly code = 'job-still-active';
  constructor(
    readonly jobId: string,
    readonly status: string,
  ) {
    super(`job "${jobId}" is still ${status}; only a job that ended can be rerun`);
  }
}

/** Active jobs write the same property or setting on some of the new job's devices, and it said `onConflict: refuse`. */
export class JobConflictsWithActiveJobs extends DomainError {
  readonly code = 'job-conflicts';
  constructor(
    readonly jobId: string,
    readonly conflicts: readonly { jobId: string; displayName: string; status: string; sharedDevices: number; sameWrites: { type: string; name: string }[] }[],
  ) {
    super(
      `job "${jobId}" writes what ${conflicts
        .map((conflict) => `job "${conflict.jobId}" (${conflict.status}) writes on ${conflict.sharedDevices} of the same devices (${conflict.sameWrites.map((write) => `${write.type} ${write.name}`).join(', ')})`)
        .join('; ')}; say onConflict "queue" to wait for it to end, or "allow" to run beside it`,
    );
  }
}
