/** How long this process follows a job's cursor before its claims look from the job's first device again. */
export const CLAIM_CURSOR_MS = 5000;

/** Where a claim of one job starts looking: its pending devices after `after` first. */
export interface ClaimCursor {
  jobId: string;
  after: string;
}

/**
 * Where this process's next claim of each job starts looking: after the last device it claimed.
 * Claimed and finished devices stay in the pending devices' index as dead entries until the table
 * is vacuumed, all of them before the devices still pending, so a claim that looked from the
 * job's first device walked over every device the job had done: a cost per claim growing with
 * the job. A cursor only orders the search: a claim that finds too few after it looks before it
 * too, and every cursor is dropped `CLAIM_CURSOR_MS` after it was set, so a device handed back
 * for a retry (behind the cursor) waits at most that long past its retry time.
 */
export class ClaimCursors {
  private readonly cursors = new Map<string, { after: string; since: number }>();

  constructor(private readonly lifetimeMs = CLAIM_CURSOR_MS) {}

  /** The cursors still followed at `now`. */
  current(now: number): ClaimCursor[] {
    const current: ClaimCursor[] = [];
    for (const [jobId, cursor] of this.cursors) {
      if (now - cursor.since >= this.lifetimeMs) this.cursors.delete(jobId);
      else current.push({ jobId, after: cursor.after });
    }
    return current;
  }

  /** Moves each job's cursor to `after`, the last device (in the database's order) its claim took. */
  advance(cursors: readonly ClaimCursor[], now: number): void {
    for (const { jobId, after } of cursors) {
      const cursor = this.cursors.get(jobId);
      if (cursor) cursor.after = after;
      else this.cursors.set(jobId, { after, since: now });
    }
  }
}
