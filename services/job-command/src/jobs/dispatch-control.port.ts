/** Tells every dispatcher that no further operation of a job may start. */
export interface DispatchControl {
  /** Resolves only once no dispatcher process can start another operation of the job. */
  halt(jobId: string): Promise<void>;
}
