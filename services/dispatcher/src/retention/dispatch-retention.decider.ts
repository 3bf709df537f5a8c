/** What the work table shows of a job whose rows the retention sweep looks at. */
export interface DispatchRetentionFacts {
  /** When its dispatch finished (`JobDispatchFinished`), if it did. */
  finishedAt: string | null;
  /** When it was seen halted (stopped, or its targeting failed) without finishing, if it was. */
  haltedAt: string | null;
  /** A device of it is claimed right now. */
  inFlight: boolean;
  /** A job reverting it has not ended: that revert reads its previous values. */
  revertUnderWay: boolean;
  now: string;
  retentionDays: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A job's work rows and previous values are dropped once it ended more than the retention ago,
 * as its history is: its dispatch finished, or it was halted and never finished (stopped before
 * any target arrived, e.g. while awaiting approval). A job running, paused or pending has neither
 * time and is never dropped; nor is one with a device in flight, or one a revert still reads.
 */
export function decideDispatchRetention(facts: DispatchRetentionFacts): { drop: boolean } {
  const endedAt = facts.finishedAt ?? facts.haltedAt;
  if (endedAt === null || facts.inFlight || facts.revertUnderWay) return { drop: false };
  return { drop: Date.parse(facts.now) - Date.parse(endedAt) > facts.retentionDays * DAY_MS };
}
