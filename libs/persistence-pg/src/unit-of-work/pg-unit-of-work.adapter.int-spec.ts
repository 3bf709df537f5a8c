import { EventEnvelope, fromWireMessage, makeEnvelope, WireMessage } from '@fleetjobs/contracts';
import { EventLog, SqlEventLog, Subscription } from '@fleetjobs/messaging';
import { waitFor } from '@fleetjobs/testing';
import { OutboxRelay } from '../outbox/outbox.relay';
import { openThrowawaySchemaDatabase, ThrowawaySchemaDatabase } from './__fixtures__/throwaway-schema-database';
import { PgUnitOfWork } from './pg-unit-of-work.adapter';

const TOPIC = 'facts.events';

function fact(id: string, subject = 'thing-1'): EventEnvelope {
  return makeEnvelope({ id, type: 'FactNoted', version: 1, source: '/test', subject, data: { id }, now: new Date() });
}

describe('PgUnitOfWork on PostgreSQL', () => {
  let db: ThrowawaySchemaDatabase;
  /** How many outbox rows another connection saw at each wake. */
  let wakes: number[];
  let uow: PgUnitOfWork;
  /** Resolves once every wake so far has counted the outbox. */
  let settleWakes: () => Promise<void>;

  beforeAll(async () => {
    db = await openThrowawaySchemaDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });
  beforeEach(async () => {
    await db.dataSource.query(`TRUNCATE ${db.schema}.outbox, ${db.schema}.inbox, ${db.schema}.facts, ${db.schema}.outbox_lease`);
    wakes = [];
    const seen: Promise<void>[] = [];
    uow = new PgUnitOfWork({
      dataSource: db.dataSource,
      schema: db.schema,
      afterPublish: () => seen.push(outboxSize().then((size) => void wakes.push(size))),
    });
    settleWakes = () => Promise.all(seen).then(() => undefined);
  });

  const outboxSize = async () => Number((await db.rows<{ n: string }>(`SELECT count(*) AS n FROM ${db.schema}.outbox`))[0].n);
  const outboxIds = async () =>
    (await db.rows<{ event_id: string }>(`SELECT headers->>'ce_id' AS event_id FROM ${db.schema}.outbox ORDER BY outbox.id`)).map((row) => row.event_id);
  const factIds = async () => (await db.rows<{ id: string }>(`SELECT id FROM ${db.schema}.facts ORDER BY id`)).map((row) => row.id);

  it('commits the business rows and the outbox rows together, in publish order, and wakes the relay after the commit', async () => {
    const result = await uow.run(async (tx) => {
      await tx.manager.query(`INSERT INTO ${db.schema}.facts (id, note) VALUES ('f1', 'first')`);
      await tx.publish(TOPIC, [fact('z1'), fact('a2', 'thing-2')]);
      await tx.publish(TOPIC, []);
      await tx.publish(TOPIC, [fact('m3')]);
      return 'done';
    });
    await settleWakes();

    expect(result).toBe('done');
    expect(await factIds()).toEqual(['f1']);
    expect(await outboxIds()).toEqual(['z1', 'a2', 'm3']);
    // Another connection already saw all three rows when the relay was woken: the wake came after the commit.
    expect(wakes).toEqual([3]);
  });

  it('writes the envelope as the relay publishes it: keyed by subject, with CloudEvents headers', async () => {
    const envelope = { ...fact('e1', 'job-7'), correlationId: 'req-1' };
    await uow.run((tx) => tx.publish(TOPIC, [envelope]));
    const [row] = await db.rows<WireMessage>(`SELECT topic, key, headers, value FROM ${db.schema}.outbox`);
    expect(row.topic).toBe(TOPIC);
    expect(row.key).toBe('job-7');
    expect(fromWireMessage(row)).toEqual({ ...envelope, causationId: undefined });
  });

  it('does not wake the relay when nothing was published', async () => {
    await uow.run(async (tx) => {
      await tx.manager.query(`INSERT INTO ${db.schema}.facts (id, note) VALUES ('quiet', 'no event')`);
    });
    await settleWakes();
    expect(await factIds()).toEqual(['quiet']);
    expect(wakes).toEqual([]);
  });

  it('rolls everything back and wakes nothing when the work throws after publishing', async () => {
    const failure = new Error('the work broke');
    await expect(
      uow.run(async (tx) => {
        await tx.manager.query(`INSERT INTO ${db.schema}.facts (id, note) VALUES ('f1', 'doomed')`);
        await tx.publish(TOPIC, [fact('e1')]);
        throw failure;
      }),
    ).rejects.toBe(failure);
    await settleWakes();

    expect(await factIds()).toEqual([]);
    expect(await outboxIds()).toEqual([]);
    expect(wakes).toEqual([]);
  });

  it('runs one statement that writes its own outbox rows, and wakes the relay after it only when it wrote some', async () => {
    const write = (id: string) =>
      uow.runStatement(async (executor, outbox) => {
        const rows = await executor.query(
          `WITH fact AS (INSERT INTO ${db.schema}.facts (id, note) VALUES ($1, 'one statement') ON CONFLICT DO NOTHING RETURNING id),
           published AS (INSERT INTO ${outbox} (topic, key, headers, value) SELECT $2, id, '{}'::jsonb, '{}' FROM fact)
           SELECT id FROM fact`,
          [id, TOPIC],
        );
        return { result: rows.length, published: rows.length };
      });
    expect(await write('s1')).toBe(1);
    expect(await write('s1')).toBe(0);
    await settleWakes();

    expect(await factIds()).toEqual(['s1']);
    expect(await outboxSize()).toBe(1);
    expect(wakes).toEqual([1]);
  });

  it('runs at the isolation level asked for', async () => {
    const level = (options?: { isolation: 'REPEATABLE READ' }) =>
      uow.run(async (tx) => (await tx.manager.query('SHOW transaction_isolation'))[0].transaction_isolation, options);
    expect(await level({ isolation: 'REPEATABLE READ' })).toBe('repeatable read');
    expect(await level()).toBe('read committed');
  });

  describe('with an inbox', () => {
    const apply = (consumer: string, eventIds: string[]) =>
      uow.run(
        async (tx) => {
          for (const id of tx.unseenEventIds) {
            await tx.manager.query(`INSERT INTO ${db.schema}.facts (id, note) VALUES ($1, $2)`, [`${consumer}:${id}`, id]);
          }
          await tx.publish(TOPIC, tx.unseenEventIds.map((id) => fact(`${consumer}:${id}:reaction`)));
          return [...tx.unseenEventIds];
        },
        { inbox: { consumer, eventIds } },
      );

    it('hands the work only the events it has not applied, and skips a redelivery entirely', async () => {
      expect(await apply('c', ['a', 'b', 'a'])).toEqual(['a', 'b']);
      expect(await apply('c', ['b', 'c'])).toEqual(['c']);
      expect(await apply('c', ['c', 'a'])).toBeUndefined();
      await settleWakes();

      expect(await factIds()).toEqual(['c:a', 'c:b', 'c:c']);
      expect(await outboxIds()).toEqual(['c:a:reaction', 'c:b:reaction', 'c:c:reaction']);
      // The skipped redelivery published nothing, so it woke nothing.
      expect(wakes).toEqual([2, 3]);
    });

    it('keeps a separate memory per consumer', async () => {
      expect(await apply('one', ['a'])).toEqual(['a']);
      expect(await apply('two', ['a'])).toEqual(['a']);
    });

    it('forgets the claim when the work throws (a poison event), so nothing is left and a redelivery runs again', async () => {
      await expect(
        uow.run(
          async (tx) => {
            await tx.manager.query(`INSERT INTO ${db.schema}.facts (id, note) VALUES ('poison', 'half done')`);
            await tx.publish(TOPIC, [fact('poison:reaction')]);
            throw new Error('cannot apply this event');
          },
          { inbox: { consumer: 'c', eventIds: ['poison'] } },
        ),
      ).rejects.toThrow('cannot apply this event');

      expect(await db.rows(`SELECT * FROM ${db.schema}.inbox`)).toEqual([]);
      expect(await factIds()).toEqual([]);
      expect(await outboxIds()).toEqual([]);
      expect(await apply('c', ['poison'])).toEqual(['poison']);
    });

    it('lets two replicas racing on the same events apply each one once', async () => {
      const other = await db.openAnother();
      const replica = new PgUnitOfWork({ dataSource: other, schema: db.schema });
      const ids = Array.from({ length: 40 }, (_, i) => `e${i}`);
      const byReplica = (unit: PgUnitOfWork, consumerIds: string[]) =>
        Promise.all(
          consumerIds.map((id) =>
            unit.run(
              async (tx) => {
                for (const unseen of tx.unseenEventIds) {
                  await tx.manager.query(`INSERT INTO ${db.schema}.facts (id, note) VALUES ($1, 'applied')`, [unseen]);
                }
              },
              { inbox: { consumer: 'c', eventIds: [id] } },
            ),
          ),
        );
      await Promise.all([byReplica(uow, ids), byReplica(replica, [...ids].reverse())]);
      expect(await factIds()).toEqual([...ids].sort());
    });
  });

  describe('with the outbox relay and a real event log', () => {
    let eventLog: SqlEventLog;
    let subscription: Subscription | null = null;

    beforeAll(async () => {
      eventLog = new SqlEventLog({ dataSource: db.dataSource, pollIntervalMs: 20, maxIdlePollIntervalMs: 100 });
      await eventLog.init();
      await eventLog.ensureTopics([TOPIC], 2);
    });
    afterAll(async () => {
      await eventLog?.close();
    });
    afterEach(async () => {
      await subscription?.stop();
      subscription = null;
    });

    it('republishes after a crash between publish and delete, and an inbox consumer applies each event once', async () => {
      // The log acknowledges the batch, then the relay's process dies before deleting the rows.
      const doomed = await db.openAnother();
      const dyingLog: EventLog = Object.assign(Object.create(eventLog) as EventLog, {
        publish: async (messages: WireMessage[]) => {
          await eventLog.publish(messages);
          await doomed.destroy();
        },
      });
      const ids = ['r1', 'r2', 'r3'];
      await uow.run((tx) => tx.publish(TOPIC, ids.map((id) => fact(id))));

      const crashed = new OutboxRelay({ dataSource: doomed, schema: db.schema, eventLog: dyingLog });
      await expect(crashed.drain()).rejects.toThrow();
      expect(await outboxIds()).toEqual(ids);

      // The dead relay's lease runs out; a restarted relay takes over.
      await db.dataSource.query(`UPDATE ${db.schema}.outbox_lease SET expires_at = now() - interval '1 second'`);
      const restarted = new OutboxRelay({ dataSource: db.dataSource, schema: db.schema, eventLog });
      expect(await restarted.drain()).toBe(3);
      expect(await outboxIds()).toEqual([]);

      const delivered: string[] = [];
      subscription = await eventLog.subscribe({
        groupId: 'inbox-consumer',
        topics: [TOPIC],
        handleBatch: async (batch) => {
          const eventIds = batch.map((message) => fromWireMessage(message)!.id);
          await uow.run(
            async (tx) => {
              for (const id of tx.unseenEventIds) {
                await tx.manager.query(`INSERT INTO ${db.schema}.facts (id, note) VALUES ($1, 'applied')`, [id]);
              }
            },
            { inbox: { consumer: 'inbox-consumer', eventIds } },
          );
          delivered.push(...eventIds);
        },
      });
      await waitFor('both copies of every event delivered', () => delivered.length === 6);
      expect([...delivered].sort()).toEqual(['r1', 'r1', 'r2', 'r2', 'r3', 'r3']);
      expect(await factIds()).toEqual(ids);
    });
  });
});
