export { waitFor } from '@fleetjobs/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { EventEnvelope, toWireMessage, WireMessage } from '@fleetjobs/contracts';
import type { BatchHandler, ConsumedMessage } from '../../event-log.port';

/** A topic or group name no other test run uses. */
export function unique(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** A realistic CloudEvents message: a job's device outcome, keyed by job id. */
export function jobEvent(topic: string, jobId: string, sequence: number): WireMessage {
  const envelope: EventEnvelope = {
    id: randomUUID(),
    type: 'DeviceSucceeded',
    version: 1,
    source: '/fleetjobs/dispatcher',
    subject: jobId,
    time: new Date().toISOString(),
    correlationId: randomUUID(),
    causationId: randomUUID(),
    data: { jobId, deviceId: `device-${sequence}`, sequence },
  };
  return toWireMessage(topic, envelope);
}

export function sequenceOf(message: Pick<WireMessage, 'value'>): number {
  return (JSON.parse(message.value) as { sequence: number }).sequence;
}

/** A handler recording every batch it is given. */
export function recorder(): { batches: ConsumedMessage[][]; seen: ConsumedMessage[]; handleBatch: BatchHandler } {
  const batches: ConsumedMessage[][] = [];
  const seen: ConsumedMessage[] = [];
  return {
    batches,
    seen,
    handleBatch: async (batch) => {
      batches.push(batch);
      seen.push(...batch);
    },
  };
}

/** A promise settled from outside, to hold a handler until the test lets it go. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** Direct broker access for what the port does not offer: inspecting and removing test topics. */
export function brokerAdmin(brokers: string[]) {
  const admin = new Kafka({ clientId: 'kafka-event-log-int-spec-admin', brokers, logLevel: logLevel.NOTHING }).admin();
  const connected = admin.connect();
  return {
    async partitionCount(topic: string): Promise<number> {
      await connected;
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
      return topics[0].partitions.length;
    },
    async deleteTopics(topics: string[]): Promise<void> {
      await connected;
      const existing = new Set(await admin.listTopics());
      const ours = topics.filter((topic) => existing.has(topic));
      if (ours.length > 0) await admin.deleteTopics({ topics: ours });
    },
    async close(): Promise<void> {
      await connected.catch(() => undefined);
      await admin.disconnect();
    },
  };
}
