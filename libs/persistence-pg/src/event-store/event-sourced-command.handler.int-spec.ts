import { Actor, EventEnvelope, fromWireMessage } from '@fleetjobs/contracts';
import { Decider, DomainError } from '@fleetjobs/event-sourcing';
import { DataSource } from 'typeorm';
import { SqlExecutor } from '../sql';
import { openThrowawaySchemaDatabase, ThrowawaySchemaDatabase } from '../unit-of-work/__fixtures__/throwaway-schema-database';
import { PgUnitOfWork } from '../unit-of-work/pg-unit-of-work.adapter';
import { EventSourcedCommandHandler, EventSourcedCommandHandlerOptions } from './event-sourced-command.handler';
import { eventStoreActorDdl, PgEventStore, StreamVersionConflictError } from './pg-event-store';

type TallyEvent = { type: 'Counted'; data: { by: number; seen: number } } | { type: 'Closed'; data: Record<string, never> };
type TallyCommand = { type: 'Count'; by: number } | { type: 'Close' };
type TallyState = { total: number; open: boolean };

class TallyClosed extends DomainError {
  readonly code = 'tally-closed';
}

/** Each count records the total it saw, so a decision taken on stale state shows in the stream. */
const tallyDecider: Decider<TallyCommand, TallyEvent, TallyState> = {
  initialState: () => ({ total: 0, open: true }),
  evolve: (state, event) =>
    event.type === 'Counted' ? { ...state, total: state.total + event.data.by } : { ...state, open: false },
  decide: (command, state) => {
    if (command.type === 'Close') return state.open ? [{ type: 'Closed', data: {} }] : [];
    if (!state.open) throw new TallyClosed('the tally is closed');
    return [{ type: 'Counted', data: { by: command.by, seen: state.total } }];
  },
};

/** Reads back both shapes of Counted: version 1 carried `n`, version 2 carries `by` and `seen`. */
function toTallyEvent(envelope: EventEnvelope): TallyEvent | null {
  const data = envelope.data as Record<string, number>;
  if (envelope.type === 'Counted' && envelope.version === 1) return { type: 'Counted', data: { by: data.n, seen: -1 } };
  if (envelope.type === 'Counted') return { type: 'Counted', data: { by: data.by, seen: data.seen } };
  if (envelope.type === 'Closed') return { type: 'Closed', data: {} };
  return null;
}

describe('EventSourcedCommandHandler on PostgreSQL', () => {
  let db: ThrowawaySchemaDatabase;
  let wakes: number;
  let store: PgEventStore;

  function handlerOn(
    dataSource: DataSource,
    overrides: Partial<EventSourcedCommandHandlerOptions<TallyEvent>> = {},
  ): EventSourcedCommandHandler<TallyCommand, TallyEvent, TallyState> {
    const uow = new PgUnitOfWork({ dataSource, schema: db.schema, afterPublish: () => (wakes += 1) });
    return new EventSourcedCommandHandler(tallyDecider, {
      store,
      uow,
      source: '/test/tally',
      toEvent: toTallyEvent,
      versionOf: (event) => (event.type === 'Counted' ? 2 : 1),
      ...overrides,
    });
  }

  const streamRows = (streamId: string) =>
    db.rows<{ version: number; event_id: string; type: string; data: Record<string, number> }>(
      `SELECT version, event_id, type, data FROM ${db.schema}.events WHERE stream_id = $1 ORDER BY version`,
      [streamId],
    );
  const outboxIds = async () =>
    (await db.rows<{ event_id: string }>(`SELECT headers->>'ce_id' AS event_id FROM ${db.schema}.outbox ORDER BY outbox.id`)).map((row) => row.event_id);

  beforeAll(async () => {
    db = await openThrowawaySchemaDatabase();
    store = new PgEventStore(db.schema, 'tallies.events');
  });
  afterAll(async () => {
    await db?.drop();
  });
  beforeEach(async () => {
    await db.dataSource.query(`TRUNCATE ${db.schema}.events, ${db.schema}.outbox, ${db.schema}.facts`);
    wakes = 0;
  });

  it('appends the decided events in order, with their outbox rows in the same order, and wakes the relay', async () => {
    const handler = handlerOn(db.dataSource);
    const first = await handler.handle('t1', { type: 'Count', by: 2 }, { correlationId: 'req-1' });
    const second = await handler.handle('t1', { type: 'Count', by: 3 });

    expect(first).toMatchObject({ state: { total: 2, open: true }, version: 1 });
    expect(second).toMatchObject({ state: { total: 5, open: true }, version: 2 });
    expect(second.events).toEqual([{ type: 'Counted', data: { by: 3, seen: 2 } }]);
    expect(first.envelopes[0]).toMatchObject({ type: 'Counted', version: 2, source: '/test/tally', subject: 't1', correlationId: 'req-1' });
    const rows = await streamRows('t1');
    expect(rows.map((row) => [row.version, row.data.by])).toEqual([
      [1, 2],
      [2, 3],
    ]);
    expect(await outboxIds()).toEqual(rows.map((row) => row.event_id));
    expect(wakes).toBe(2);
    expect(await handler.load('t1')).toEqual({ total: 5, open: true });
  });

  it('takes a decision given as a function on the current state', async () => {
    const handler = handlerOn(db.dataSource);
    await handler.handle('t1', { type: 'Count', by: 4 });
    const doubled = await handler.handle('t1', (state) => [{ type: 'Counted', data: { by: state.total, seen: state.total } }]);
    expect(doubled.state.total).toBe(8);
  });

  it('writes nothing and wakes nothing when the command changes nothing', async () => {
    const handler = handlerOn(db.dataSource);
    await handler.handle('t1', { type: 'Close' });
    wakes = 0;
    const again = await handler.handle('t1', { type: 'Close' });
    expect(again).toMatchObject({ events: [], envelopes: [], version: 1, state: { open: false } });
    expect(await streamRows('t1')).toHaveLength(1);
    expect(wakes).toBe(0);
  });

  it('rejects with the domain error and writes nothing', async () => {
    const handler = handlerOn(db.dataSource);
    await handler.handle('t1', { type: 'Close' });
    wakes = 0;
    await expect(handler.handle('t1', { type: 'Count', by: 1 })).rejects.toBeInstanceOf(TallyClosed);
    expect(await streamRows('t1')).toHaveLength(1);
    expect(await outboxIds()).toHaveLength(1);
    expect(wakes).toBe(0);
  });

  it('commits a row written alongside together with the events, and neither when that write fails', async () => {
    const handler = handlerOn(db.dataSource);
    await handler.handle('t1', { type: 'Count', by: 1 }, {}, {
      alsoInTx: async (tx, events, state) => {
        await tx.manager.query(`INSERT INTO ${db.schema}.facts (id, note) VALUES ('t1', $1)`, [`${events.length}:${state.total}`]);
      },
    });
    expect(await db.rows(`SELECT id, note FROM ${db.schema}.facts`)).toEqual([{ id: 't1', note: '1:1' }]);

    await expect(
      handler.handle('t1', { type: 'Count', by: 1 }, {}, {
        alsoInTx: async (tx) => {
          await tx.manager.query(`INSERT INTO ${db.schema}.facts (id, note) VALUES ('t1', 'duplicate key')`);
        },
      }),
    ).rejects.toThrow();
    expect(await streamRows('t1')).toHaveLength(1);
    expect(await outboxIds()).toHaveLength(1);
  });

  it('folds old event versions through the upcaster, and counts events it cannot read towards the version', async () => {
    await db.dataSource.transaction(async (tx) => {
      await store.appendEvents(tx, 't1', 0, [
        { id: 'old-1', type: 'Counted', version: 1, source: '/test/tally', subject: 't1', time: new Date().toISOString(), data: { n: 7 } },
        { id: 'odd-1', type: 'Renamed', version: 1, source: '/test/tally', subject: 't1', time: new Date().toISOString(), data: {} },
      ]);
    });
    const next = await handlerOn(db.dataSource).handle('t1', { type: 'Count', by: 1 });
    expect(next).toMatchObject({ state: { total: 8 }, version: 3, events: [{ data: { by: 1, seen: 7 } }] });
  });

  describe('who sent the command', () => {
    const actor: Actor = { id: 'user:7c1e', name: 'Ada Lovelace', role: 'operator', address: '10.0.0.7' };
    const outboxEnvelopes = async () =>
      (await db.rows<{ headers: Record<string, string>; value: string }>(`SELECT headers, value FROM ${db.schema}.outbox ORDER BY id`)).map(
        (row) => fromWireMessage(row),
      );

    it('is on every event the command decides: stored, published and read back', async () => {
      const handler = handlerOn(db.dataSource);
      const decided = await handler.handle(
        't1',
        (): TallyEvent[] => [
          { type: 'Counted', data: { by: 1, seen: 0 } },
          { type: 'Closed', data: {} },
        ],
        { actor },
      );

      expect(decided.envelopes.map((envelope) => envelope.actor)).toEqual([actor, actor]);
      expect(await db.rows(`SELECT actor FROM ${db.schema}.events ORDER BY version`)).toEqual([{ actor }, { actor }]);
      expect((await outboxEnvelopes()).map((envelope) => envelope?.actor)).toEqual([actor, actor]);
      await db.dataSource.transaction(async (tx) => {
        expect((await store.read(tx, 't1')).map((envelope) => envelope.actor)).toEqual([actor, actor]);
      });
    });

    it('is absent from the events of a command nobody sent', async () => {
      await handlerOn(db.dataSource).handle('t1', { type: 'Count', by: 1 }, { correlationId: 'req-1' });

      expect(await db.rows(`SELECT actor FROM ${db.schema}.events`)).toEqual([{ actor: null }]);
      const [published] = await outboxEnvelopes();
      expect(published).not.toHaveProperty('actor');
      await db.dataSource.transaction(async (tx) => {
        expect((await store.read(tx, 't1'))[0]).not.toHaveProperty('actor');
      });
    });

    it('is kept in an events table made before actors were, once the migration (which may run twice) added the column', async () => {
      const old = 'svc_before_actors';
      await db.dataSource.query(`CREATE SCHEMA ${old}`);
      await db.dataSource.query(
        `CREATE TABLE ${old}.events (stream_id text NOT NULL, version int NOT NULL, event_id text NOT NULL UNIQUE, type text NOT NULL,
           event_version int NOT NULL, source text NOT NULL, data jsonb NOT NULL, correlation_id text, causation_id text,
           recorded_at timestamptz NOT NULL, PRIMARY KEY (stream_id, version))`,
      );
      try {
        await db.dataSource.query(
          `INSERT INTO ${old}.events VALUES ('t1', 1, 'before', 'Counted', 2, '/test/tally', '{"by":1,"seen":0}', null, null, now())`,
        );
        for (const statement of [...eventStoreActorDdl(old), ...eventStoreActorDdl(old)]) await db.dataSource.query(statement);
        const oldStore = new PgEventStore(old, 'tallies.events');
        const envelope = { id: 'after', type: 'Closed', version: 1, source: '/test/tally', subject: 't1', time: new Date().toISOString(), actor, data: {} };
        await db.dataSource.transaction((tx) => oldStore.appendEvents(tx, 't1', 1, [envelope]));

        const reread = await db.dataSource.transaction((tx) => oldStore.read(tx, 't1'));
        expect(reread.map((event) => [event.id, event.actor])).toEqual([
          ['before', undefined],
          ['after', actor],
        ]);
      } finally {
        await db.dataSource.query(`DROP SCHEMA ${old} CASCADE`);
      }
    });
  });

  it('uses ids derived from the fact when asked', async () => {
    const handler = handlerOn(db.dataSource, { eventId: (event, streamId, position) => `${streamId}:${position}:${event.type}` });
    await handler.handle('t1', { type: 'Count', by: 1 });
    expect(await outboxIds()).toEqual(['t1:1:Counted']);
  });

  describe('when another writer appends between the read and the append', () => {
    /** A store whose first read lets `interloper` commit one event on the stream before answering. */
    function interleavedStore(interloper: () => Promise<unknown>): PgEventStore {
      let interleaved = false;
      const interleaving = Object.create(store) as PgEventStore;
      interleaving.read = async (tx: SqlExecutor, streamId: string) => {
        const history = await store.read(tx, streamId);
        if (!interleaved) {
          interleaved = true;
          await interloper();
        }
        return history;
      };
      return interleaving;
    }

    it('takes the decision again on fresh state and loses no event', async () => {
      const other = handlerOn(await db.openAnother());
      const decisions: number[] = [];
      const handler = handlerOn(db.dataSource, { store: interleavedStore(() => other.handle('t1', { type: 'Count', by: 10 })) });
      const result = await handler.handle('t1', (state) => {
        decisions.push(state.total);
        return [{ type: 'Counted', data: { by: 1, seen: state.total } }];
      });

      expect(decisions).toEqual([0, 10]);
      expect(result).toMatchObject({ state: { total: 11 }, version: 2 });
      expect((await streamRows('t1')).map((row) => row.data)).toEqual([
        { by: 10, seen: 0 },
        { by: 1, seen: 10 },
      ]);
      expect(await outboxIds()).toEqual((await streamRows('t1')).map((row) => row.event_id));
    });

    it('gives up with a version conflict after the allowed attempts, leaving only the other writer\'s event', async () => {
      const other = handlerOn(await db.openAnother());
      const handler = handlerOn(db.dataSource, {
        maxAttempts: 1,
        store: interleavedStore(() => other.handle('t1', { type: 'Count', by: 10 })),
      });
      await expect(handler.handle('t1', { type: 'Count', by: 1 })).rejects.toBeInstanceOf(StreamVersionConflictError);
      expect((await streamRows('t1')).map((row) => row.data.by)).toEqual([10]);
      expect(await outboxIds()).toHaveLength(1);
    });
  });

  it('applies every command of two replicas racing on one stream, each on the state left by the one before', async () => {
    const replicas = [handlerOn(db.dataSource, { maxAttempts: 100 }), handlerOn(await db.openAnother(), { maxAttempts: 100 })];
    const perReplica = 15;
    await Promise.all(
      replicas.map((replica) =>
        Promise.all(Array.from({ length: perReplica }, () => replica.handle('race', { type: 'Count', by: 1 }))),
      ),
    );

    const rows = await streamRows('race');
    expect(rows.map((row) => row.version)).toEqual(Array.from({ length: 2 * perReplica }, (_, i) => i + 1));
    // Every count saw exactly the counts before it: no decision was taken on stale state.
    expect(rows.map((row) => row.data.seen)).toEqual(Array.from({ length: 2 * perReplica }, (_, i) => i));
    expect(await outboxIds()).toEqual(rows.map((row) => row.event_id));
    expect(await replicas[0].load('race')).toEqual({ total: 2 * perReplica, open: true });
  });
});
