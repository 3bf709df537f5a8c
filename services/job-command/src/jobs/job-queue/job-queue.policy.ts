/** One job a queued job waits for, and whether that job is still active (pending, running or paused). */
export interface QueuedWait {
  jobId: string;
  waitsFor: string;
  waitedActive: boolean;
}

/** The queued jobs every one of whose waited-for jobs has ended (completed, failed or stopped), in id order. */
export function releasableJobs(waits: readonly QueuedWait[]): string[] {
  const blocked = new Set(waits.filter((wait) => wait.waitedActive).map((wait) => wait.jobId));
  return [...new Set(waits.map((wait) => wait.jobId))].filter((jobId) => !blocked.has(jobId)).sort();
}
