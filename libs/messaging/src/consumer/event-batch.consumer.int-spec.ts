import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { EventEnvelope, JobStopped, TOPICS, toWireMessage, WireMessage } from '@fleetjobs/contracts';
import { InboxGuard, messagingTablesDdl, PgDeadLetterStore } from '@fleetjobs/persistence-pg';
import { ensureKafkaBrokers, waitFor } from '@fleetjobs/testing';
import { register } from 'prom-client';
import { LogDatabase, postgresLogDatabase } from '../embedded/__fixtures__/log-database';
import { Subscription } from '../event-log.port';
import { KafkaEventLog } from '../kafka/kafka-event-log.adapter';
import { NamespacedEventLog } from '../namespaced-event-log';
import { EventBatchConsumer } from './event-batch.consumer';

const SCHEMA = 'svc';

function stopped(jobId: string): EventEnvelope {
  return { id: `${jobId}:stopped`, type: 'JobStopped', version: 1, source: '/test', subject: 'one-key', time: new Date().toISOString(), data: { jobId, stoppedAt: new Date().toISOString() } };
}
const message = (envelope: EventEnvelope): WireMessage => toWireMessage(TOPICS.jobs, envelope);

/** A real refused connection: nothing listens on port 1. */
async function refusedConnection(): Promise<never> {
  const client = new Client({ host: '127.0.0.1', port: 1, user: 'postgres', connectionTimeoutMillis: 2_000 });
  await client.connect();
  throw new Error('port 1 answered');
}

// The consumer helper between the real Kafka broker and PostgreSQL (inbox, applied rows, dead letters).
describe('EventBatchConsumer on Kafka and PostgreSQL', () => {
  let db: LogDatabase;
  let kafka: KafkaEventLog;
  let log: NamespacedEventLog;
  let group: string;
  const subscriptions: Subscription[] = [];

  const rows = <T>(sql: string) => db.current().query(sql) as Promise<T[]>;
  const applied = () => rows<{ event_id: string; times: number }>(`SELECT event_id, times FROM ${SCHEMA}.applied ORDER BY event_id`);
  const deadLetters = () =>
    rows<{ consumer_group: string; reason: string; offset: string; attempts: number; error: string; event_id: string }>(
      `SELECT consumer_group, reason, "offset"::text AS offset, attempts, error, headers->>'ce_id' AS event_id
         FROM ${SCHEMA}.dead_letters ORDER BY "offset"`,
    );

  /** Applies events once each through the inbox; `fail` may throw for an event to make it fail. */
  async function consume(fail: (event: JobStopped) => Promise<void> | void = () => undefined, maxAttempts = 5) {
    const dataSource = db.current();
    const inbox = new InboxGuard(SCHEMA, group);
    const consumer = new EventBatchConsumer({
      group,
      types: ['JobStopped'],
      deadLetters: new PgDeadLetterStore(dataSource, SCHEMA),
      maxAttempts,
      retryDelayMs: 20,
    });
    const calls: string[][] = [];
    subscriptions.push(
      await log.subscribe({
        groupId: group,
        topics: [TOPICS.jobs],
        handleBatch: (batch) =>
          consumer
            .consume(batch, async (events) => {
              calls.push(events.map((event) => event.data.jobId));
              await dataSource.transaction(async (tx) => {
                const fresh = await inbox.claim(tx, events.map((event) => event.id));
                for (const event of events) {
                  if (!fresh.has(event.id)) continue;
                  await fail(event);
                  await tx.query(
                    `INSERT INTO ${SCHEMA}.applied (event_id, times) VALUES ($1, 1) ON CONFLICT (event_id) DO UPDATE SET times = applied.times + 1`,
                    [event.id],
                  );
                }
              });
            })
            .then(() => undefined),
      }),
    );
    return calls;
  }

  beforeAll(async () => {
    db = await postgresLogDatabase();
    for (const statement of messagingTablesDdl(SCHEMA)) await db.current().query(statement);
    await db.current().query(`CREATE TABLE ${SCHEMA}.applied (event_id text PRIMARY KEY, times int NOT NULL)`);
    kafka = new KafkaEventLog({
      brokers: await ensureKafkaBrokers(),
      clientId: 'event-batch-consumer-int-spec',
      logLevel: 'nothing',
      consumer: {
        sessionTimeoutMs: 6_000,
        heartbeatIntervalMs: 300,
        rebalanceTimeoutMs: 6_000,
        maxWaitTimeMs: 200,
        stopGraceMs: 300,
        retryInitialMs: 20,
        retryMaxMs: 200,
      },
    });
  }, 240_000);

  beforeEach(async () => {
    log = new NamespacedEventLog(kafka, `consumer-${randomBytes(4).toString('hex')}`);
    group = `group-${randomBytes(3).toString('hex')}`;
    await log.ensureTopics([TOPICS.jobs, TOPICS.jobLifecycle], 1);
    await db.current().query(`TRUNCATE ${SCHEMA}.applied, ${SCHEMA}.inbox, ${SCHEMA}.dead_letters`);
  });

  afterEach(async () => {
    await Promise.all(subscriptions.splice(0).map((subscription) => subscription.stop()));
  });

  afterAll(async () => {
    await kafka?.close();
    await db?.dispose();
  });

  it('dead-letters a malformed message and an unreadable one, handles the messages after them, and commits', async () => {
    const malformed = message({ ...stopped('bad'), data: { jobId: 42 } });
    const notJson = { ...message(stopped('not-json')), value: '{"jobId":' };
    await log.publish([message(stopped('first')), malformed, notJson, message(stopped('next'))]);
    await consume();

    await waitFor('the message after the unreadable ones to be applied', async () => (await applied()).length === 2, 30_000);
    expect(await applied()).toEqual([
      { event_id: 'first:stopped', times: 1 },
      { event_id: 'next:stopped', times: 1 },
    ]);
    expect(await deadLetters()).toEqual([
      expect.objectContaining({ consumer_group: group, reason: 'invalid-data', offset: '1', event_id: 'bad:stopped', attempts: 1 }),
      expect.objectContaining({ consumer_group: group, reason: 'unreadable-envelope', offset: '2', event_id: 'not-json:stopped' }),
    ]);
    await waitFor('the batch position to be committed', async () => (await subscriptions[0].lag()) === 0, 30_000);
    const metrics = await register.getSingleMetricAsString('fleetjobs_dead_letters_total');
    expect(metrics).toContain(`fleetjobs_dead_letters_total{group="${group}",reason="invalid-data"} 1`);
  });

  it('dead-letters an event whose handling always fails the same way after 5 attempts; the others are applied exactly once', async () => {
    await log.publish(['a', 'b', 'poison', 'c', 'd'].map((jobId) => message(stopped(jobId))));
    const calls = await consume((event) => {
      if (event.data.jobId === 'poison') throw new Error(`cannot apply job ${event.data.jobId} at ${Date.now()}`);
    });

    await waitFor('the events after the poison one to be applied', async () => (await applied()).length === 4, 30_000);
    expect(await applied()).toEqual(['a', 'b', 'c', 'd'].map((jobId) => ({ event_id: `${jobId}:stopped`, times: 1 })));
    expect(await deadLetters()).toEqual([
      expect.objectContaining({ reason: 'handler-failed', event_id: 'poison:stopped', attempts: 5, error: expect.stringContaining('cannot apply job poison') }),
    ]);
    expect(calls.filter((call) => call.length === 1 && call[0] === 'poison')).toHaveLength(5);
  });

  it('retries a refused database connection for as long as it lasts and never dead-letters for it', async () => {
    await log.publish(['x', 'y'].map((jobId) => message(stopped(jobId))));
    let refusals = 8; // more than the attempts allowed for a poison event
    await consume(async (event) => {
      if (event.data.jobId === 'y' && refusals > 0) {
        refusals -= 1;
        await refusedConnection();
      }
    }, 3);

    await waitFor('the event to be applied once the database answers', async () => (await applied()).length === 2, 30_000);
    expect(refusals).toBe(0);
    expect(await applied()).toEqual([
      { event_id: 'x:stopped', times: 1 },
      { event_id: 'y:stopped', times: 1 },
    ]);
    expect(await deadLetters()).toEqual([]);
  });
});
