import { waitFor } from '@fleetjobs/testing';
import { MessagingDatabase, openMessagingDatabase } from '../outbox/__fixtures__/messaging-database';
import { InboxGuard } from './inbox.guard';
import { InboxTrimmer } from './inbox.trimmer';

describe('InboxTrimmer on PostgreSQL', () => {
  let db: MessagingDatabase;

  beforeAll(async () => {
    db = await openMessagingDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  const remembered = async () =>
    (await db.rows<{ consumer: string; event_id: string }>(`SELECT consumer, event_id FROM ${db.schema}.inbox ORDER BY consumer, event_id`)).map(
      (row) => `${row.consumer}/${row.event_id}`,
    );

  it('forgets the entries of every consumer older than the retention, and only those', async () => {
    for (const consumer of ['targets', 'lifecycle']) {
      await db.dataSource.transaction((tx) => new InboxGuard(db.schema, consumer).claim(tx, ['old', 'recent', 'new']));
    }
    await db.dataSource.query(`UPDATE ${db.schema}.inbox SET processed_at = now() - interval '8 days' WHERE event_id = 'old'`);
    await db.dataSource.query(`UPDATE ${db.schema}.inbox SET processed_at = now() - interval '6 days 23 hours' WHERE event_id = 'recent'`);
    const trimmer = new InboxTrimmer({ dataSource: db.dataSource, schema: db.schema, retentionDays: 7 });

    expect(await trimmer.trimNow()).toBe(2);
    expect(await remembered()).toEqual(['lifecycle/new', 'lifecycle/recent', 'targets/new', 'targets/recent']);
    expect(await trimmer.trimNow()).toBe(0);
    // A forgotten id may be claimed again: redeliveries never come this late.
    const claimed = await db.dataSource.transaction((tx) => new InboxGuard(db.schema, 'targets').claim(tx, ['old', 'new']));
    expect([...claimed]).toEqual(['old']);
  });

  it('trims periodically once started, with a retention that may be a fraction of a day', async () => {
    await db.dataSource.query(`TRUNCATE ${db.schema}.inbox`);
    await db.dataSource.transaction((tx) => new InboxGuard(db.schema, 'c').claim(tx, ['a', 'b']));
    await db.dataSource.query(`UPDATE ${db.schema}.inbox SET processed_at = now() - interval '2 hours' WHERE event_id = 'a'`);
    const trimmer = new InboxTrimmer({ dataSource: db.dataSource, schema: db.schema, retentionDays: 1 / 24, intervalMs: 20 });
    trimmer.start();
    try {
      await waitFor('the periodic trim to forget the old entry', async () => (await remembered()).length === 1);
      expect(await remembered()).toEqual(['c/b']);
    } finally {
      await trimmer.stop();
    }
  });
});
