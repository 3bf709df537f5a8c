interface Seen {
  highWatermark: number;
  firstSeenMs: number;
  lastSeenMs: number;
}

/**
 * When each offset of a partition was written, told from the high watermark sampled over time:
 * the message at offset `o` was written after the last sample whose high watermark was still
 * `<= o` and no later than the first sample whose high watermark passed it. The estimate is the
 * middle of that interval, so it is off by at most half the sampling interval (plus the time one
 * sample takes). An offset already written at the first sample is dated at the first sample: its
 * age is then a lower bound.
 */
export class WatermarkHistory {
  private readonly partitions = new Map<string, Seen[]>();

  record(partition: string, highWatermark: number, atMs: number): void {
    const seen = this.partitions.get(partition) ?? [];
    this.partitions.set(partition, seen);
    const last = seen[seen.length - 1];
    if (last && last.highWatermark >= highWatermark) last.lastSeenMs = atMs;
    else seen.push({ highWatermark, firstSeenMs: atMs, lastSeenMs: atMs });
  }

  latest(partition: string): number | null {
    const seen = this.partitions.get(partition);
    return seen?.length ? seen[seen.length - 1].highWatermark : null;
  }

  /** Estimated write time of the message at `offset`; null when no sample has seen it yet. */
  writtenAt(partition: string, offset: number): number | null {
    const seen = this.partitions.get(partition) ?? [];
    const index = seen.findIndex((entry) => entry.highWatermark > offset);
    if (index < 0) return null;
    if (index === 0) return seen[0].firstSeenMs;
    return (seen[index - 1].lastSeenMs + seen[index].firstSeenMs) / 2;
  }
}

/** Nearest-rank percentile (`p` in 0..100) of the values; null when there are none. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}
