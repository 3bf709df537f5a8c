import { randomBytes } from 'node:crypto';
import { EventEnvelope, TOPICS } from '@fleetjobs/contracts';
import {
  ConsumedMessage,
  EventBatchConsumer,
  EventLog,
  KafkaEventLog,
  NamespacedEventLog,
  SqlEventLog,
  Subscription,
} from '@fleetjobs/messaging';
import { ensureKafkaBrokers, waitFor } from '@fleetjobs/testing';
import { register } from 'prom-client';
import { PgDeadLetterStore } from '../dead-letters/pg-dead-letter.store';
import { InboxGuard } from '../inbox/inbox.guard';
import { MessagingDatabase, openMessagingDatabase } from './__fixtures__/messaging-database';
import { registerOutboxMetrics } from './outbox.metrics';
import { OUTBOX_DEAD_LETTER_GROUP, OutboxRelay } from './outbox.relay';
import { OutboxWriter } from './outbox.writer';

function jobStopped(jobId: string, note = ''): EventEnvelope {
  return {
    id: `${jobId}:stopped`,
    type: 'JobStopped',
    version: 1,
    source: '/test',
    subject: 'job-key',
    time: new Date().toISOString(),
    data: { jobId, stoppedAt: new Date().toISOString(), note },
  };
}

/** More than the broker's default limit of 1 MiB per message. */
const TOO_LARGE_NOTE = 'x'.repeat(1024 * 1024 + 100_000);

// The outbox on PostgreSQL, published to the real Kafka broker.
describe('OutboxRelay on PostgreSQL and Kafka', () => {
  let db: MessagingDatabase;
  let kafka: KafkaEventLog;
  let log: EventLog;
  const subscriptions: Subscription[] = [];
  const relays: OutboxRelay[] = [];

  const write = (...envelopes: EventEnvelope[]) =>
    db.dataSource.transaction((tx) => new OutboxWriter(db.schema).write(tx, TOPICS.jobs, envelopes));
  const outboxCount = async () => Number((await db.rows<{ n: string }>(`SELECT count(*) AS n FROM ${db.schema}.outbox`))[0].n);
  const relayOn = (eventLog: EventLog) => {
    const relay = new OutboxRelay({ dataSource: db.dataSource, schema: db.schema, eventLog, idleMs: 20, maxIdleMs: 100 });
    relays.push(relay);
    return relay;
  };
  const record = async (group: string) => {
    const seen: ConsumedMessage[] = [];
    subscriptions.push(await log.subscribe({ groupId: group, topics: [TOPICS.jobs], handleBatch: async (batch) => void seen.push(...batch) }));
    return seen;
  };
  const jobIdsOf = (messages: ConsumedMessage[]) => messages.map((message) => (JSON.parse(message.value) as { jobId: string }).jobId);

  beforeAll(async () => {
    db = await openMessagingDatabase();
    kafka = new KafkaEventLog({
      brokers: await ensureKafkaBrokers(),
      clientId: 'outbox-relay-int-spec',
      logLevel: 'nothing',
      consumer: { sessionTimeoutMs: 6_000, heartbeatIntervalMs: 300, rebalanceTimeoutMs: 6_000, maxWaitTimeMs: 200, stopGraceMs: 300 },
    });
  }, 240_000);

  beforeEach(async () => {
    // A namespace per test: its topic starts empty, its groups start from the beginning.
    log = new NamespacedEventLog(kafka, `relay-${randomBytes(4).toString('hex')}`);
    await log.ensureTopics([TOPICS.jobs, TOPICS.jobLifecycle], 1);
    await db.dataSource.query(`TRUNCATE ${db.schema}.outbox, ${db.schema}.inbox, ${db.schema}.dead_letters, ${db.schema}.outbox_lease`);
  });

  afterEach(async () => {
    await Promise.all(relays.splice(0).map((relay) => relay.stop()));
    await Promise.all(subscriptions.splice(0).map((subscription) => subscription.stop()));
  });

  afterAll(async () => {
    await kafka?.close();
    await db?.drop();
  });

  it('moves a row the broker refuses as too large to the dead letters and publishes the rows after it', async () => {
    await write(jobStopped('before'), jobStopped('too-large', TOO_LARGE_NOTE), jobStopped('after'));
    const seen = await record('reader');
    const relay = relayOn(log);
    relay.start();

    await waitFor('the row after the refused one to arrive', () => jobIdsOf(seen).includes('after'), 30_000);
    await waitFor('the outbox to empty', async () => (await outboxCount()) === 0);
    // Isolating the refused row may publish the rows before it again: at least once, in order.
    const ids = jobIdsOf(seen);
    expect(ids).not.toContain('too-large');
    expect(ids.indexOf('before')).toBeLessThan(ids.indexOf('after'));
    const letters = await db.rows<Record<string, unknown>>(
      `SELECT consumer_group, topic, reason, partition, "offset", key, error, headers, value_bytes, length(value) AS value_length
         FROM ${db.schema}.dead_letters`,
    );
    expect(letters).toEqual([
      expect.objectContaining({
        consumer_group: OUTBOX_DEAD_LETTER_GROUP,
        topic: TOPICS.jobs,
        reason: 'rejected-by-log',
        partition: null,
        offset: null,
        key: 'job-key',
        error: expect.stringMatching(/larger than the max message size/),
      }),
    ]);
    expect(letters[0].value_bytes).toBeGreaterThan(1024 * 1024);
    expect(letters[0].value_length).toBeLessThanOrEqual(64 * 1024);
    expect((letters[0].headers as Record<string, string>).ce_id).toBe('too-large:stopped');
    expect(relay.isAlive()).toBe(true);

    const unwatch = registerOutboxMetrics(db.dataSource, db.schema);
    try {
      const metrics = await register.metrics();
      expect(metrics).toMatch(new RegExp(`fleetjobs_dead_letters_total\\{group="${OUTBOX_DEAD_LETTER_GROUP}",reason="rejected-by-log"\\} [1-9]`));
      expect(metrics).toContain(`fleetjobs_outbox_rows{schema="${db.schema}"} 0`);
      expect(metrics).toContain(`fleetjobs_outbox_oldest_age_seconds{schema="${db.schema}"} 0`);
      expect(metrics).toContain(`fleetjobs_dead_letters_stored{schema="${db.schema}"} 1`);
    } finally {
      unwatch();
    }
  });

  it('does the same on the embedded log, which refuses what Kafka would', async () => {
    const embedded = new SqlEventLog({ dataSource: db.dataSource, schema: `log_${randomBytes(4).toString('hex')}`, pollIntervalMs: 20 });
    await embedded.ensureTopics([TOPICS.jobs], 1);
    const seen: ConsumedMessage[] = [];
    subscriptions.push(await embedded.subscribe({ groupId: 'reader', topics: [TOPICS.jobs], handleBatch: async (batch) => void seen.push(...batch) }));
    await write(jobStopped('before'), jobStopped('too-large', TOO_LARGE_NOTE), jobStopped('after'));
    relayOn(embedded).start();

    await waitFor('the row after the refused one to arrive', () => jobIdsOf(seen).includes('after'), 30_000);
    expect(jobIdsOf(seen)).not.toContain('too-large');
    expect(await db.rows(`SELECT reason, error FROM ${db.schema}.dead_letters`)).toEqual([
      { reason: 'rejected-by-log', error: expect.stringContaining('MessageRejectedError') },
    ]);
    await embedded.close();
  });

  it('keeps retrying while the log is unreachable, dead-letters nothing, and publishes once it answers', async () => {
    let refusals = 4;
    const flaky: EventLog = Object.create(log, {
      publish: {
        value: async (messages: Parameters<EventLog['publish']>[0]) => {
          if (refusals > 0) {
            refusals -= 1;
            throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9092'), { name: 'KafkaJSConnectionError' });
          }
          return log.publish(messages);
        },
      },
    });
    await write(jobStopped('one'), jobStopped('two'));
    const seen = await record('reader');
    const relay = relayOn(flaky);
    relay.start();

    await waitFor('both rows to arrive once the log answers', () => jobIdsOf(seen).includes('two'), 30_000);
    expect(refusals).toBe(0);
    expect(await db.rows(`SELECT * FROM ${db.schema}.dead_letters`)).toEqual([]);
    expect(jobIdsOf(seen)).toEqual(['one', 'two']);
  });

  it('republishes after a relay died between publish and delete, and the consumer inbox applies each event once', async () => {
    await db.dataSource.query(`CREATE TABLE IF NOT EXISTS ${db.schema}.applied (event_id text PRIMARY KEY, times int NOT NULL)`);
    await db.dataSource.query(`TRUNCATE ${db.schema}.applied`);
    await write(jobStopped('a'), jobStopped('b'), jobStopped('c'));

    // The first relay publishes, then its process dies before it deletes the rows.
    const dying: EventLog = Object.create(log, {
      publish: {
        value: async (messages: Parameters<EventLog['publish']>[0]) => {
          await log.publish(messages);
          throw Object.assign(new Error('Connection terminated unexpectedly'), { code: 'ECONNRESET' });
        },
      },
    });
    const first = relayOn(dying);
    await expect(first.drain()).rejects.toThrow('Connection terminated');
    expect(await outboxCount()).toBe(3);
    await first.stop();

    const delivered: ConsumedMessage[] = [];
    const inbox = new InboxGuard(db.schema, 'reader');
    const consumer = new EventBatchConsumer({ group: 'reader', deadLetters: new PgDeadLetterStore(db.dataSource, db.schema) });
    subscriptions.push(
      await log.subscribe({
        groupId: 'reader',
        topics: [TOPICS.jobs],
        // A batch counts as delivered once its handling committed, so the assertions read what it applied.
        handleBatch: async (batch) => {
          await consumer.consume(batch, (events) =>
            db.dataSource.transaction(async (tx) => {
              const fresh = await inbox.claim(tx, events.map((event) => event.id));
              for (const id of fresh) {
                await tx.query(
                  `INSERT INTO ${db.schema}.applied (event_id, times) VALUES ($1, 1)
                   ON CONFLICT (event_id) DO UPDATE SET times = applied.times + 1`,
                  [id],
                );
              }
            }),
          );
          delivered.push(...batch);
        },
      }),
    );
    relayOn(log).start();

    await waitFor('the republished copies to be consumed', () => delivered.length >= 6, 30_000);
    await waitFor('the outbox to empty', async () => (await outboxCount()) === 0);
    expect(jobIdsOf(delivered).sort()).toEqual(['a', 'a', 'b', 'b', 'c', 'c']);
    expect(await db.rows(`SELECT event_id, times FROM ${db.schema}.applied ORDER BY event_id`)).toEqual([
      { event_id: 'a:stopped', times: 1 },
      { event_id: 'b:stopped', times: 1 },
      { event_id: 'c:stopped', times: 1 },
    ]);
  });
});
