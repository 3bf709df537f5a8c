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

/** Stop was asked of a job that already completed or failed. */
export class JobAlreadyEnded extends DomainError {
  readonly code = 'job-already-ended';
  constructor(
    readonly jobId: string,
    readonly status: string,
  ) {
    super(`job "${jobId}" already ended (${status}); only a pending or running job can be stopped`);
  }
}
