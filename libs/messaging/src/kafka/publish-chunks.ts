import { WireMessage } from '@fleetjobs/contracts';

/** Bounds of one produce request: below the broker's default 1 MiB record-batch limit. */
export interface ChunkLimits {
  maxMessages: number;
  maxBytes: number;
}

export const DEFAULT_CHUNK_LIMITS: ChunkLimits = { maxMessages: 500, maxBytes: 512 * 1024 };

function approximateSize(message: WireMessage): number {
  let size = Buffer.byteLength(message.key) + Buffer.byteLength(message.value) + 64;
  for (const [name, value] of Object.entries(message.headers)) {
    size += Buffer.byteLength(name) + Buffer.byteLength(value) + 8;
  }
  return size;
}

/**
 * Splits messages into consecutive chunks, in their original order, each within the limits
 * (a single message larger than `maxBytes` travels alone). Sending the chunks one after the other
 * keeps per-key order.
 */
export function* publishChunks(
  messages: readonly WireMessage[],
  limits: ChunkLimits = DEFAULT_CHUNK_LIMITS,
): Generator<WireMessage[]> {
  let chunk: WireMessage[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = approximateSize(message);
    if (chunk.length > 0 && (chunk.length >= limits.maxMessages || bytes + size > limits.maxBytes)) {
      yield chunk;
      chunk = [];
      bytes = 0;
    }
    chunk.push(message);
    bytes += size;
  }
  if (chunk.length > 0) yield chunk;
}

/** Groups one chunk by topic, keeping each topic's messages in order. */
export function groupByTopic(chunk: readonly WireMessage[]): Map<string, WireMessage[]> {
  const byTopic = new Map<string, WireMessage[]>();
  for (const message of chunk) {
    const list = byTopic.get(message.topic);
    if (list) list.push(message);
    else byTopic.set(message.topic, [message]);
  }
  return byTopic;
}
