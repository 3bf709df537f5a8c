import { TOPICS, toWireMessage } from '@fleetjobs/contracts';
import { JobBatchHandler } from '../jobs/job-batch.handler';
import { JobChangeNotifier } from '../jobs/job-change.notifier';
import {
  aDeviceFailed,
  aDeviceSucceeded,
  aJobCompleted,
  aJobCreated,
  aJobStarted,
  aJobStopped,
  aJobTargetsResolved,
} from '../testing/job-event.builders';
import { ProjectionTestApp, startProjectionApp } from '../testing/projection-test-app';
import { createProjectionTestDb, eventually, ProjectionTestDb } from '../testing/projection-test-db';
import { SseClient } from '../testing/sse-client';
import { JobStreamHttpController } from './job-stream.http.controller';
import { JobView } from './job.view';
import { JobViewsQuery } from './job-views.query';

/** Ended jobs stay visible for the retention after their end, so they end now in these tests. */
const now = () => new Date().toISOString();

describe('GET /api/jobs/{id}/stream', () => {
  let db: ProjectionTestDb;
  const clients: SseClient[] = [];

  const open = async (service: ProjectionTestApp, id: string) => {
    const client = await SseClient.open(`${service.baseUrl}/api/jobs/${id}/stream`);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    db = await createProjectionTestDb();
  });
  afterEach(() => clients.splice(0).forEach((client) => client.close()));
  afterAll(() => db?.drop());

  describe('served by the replica whose consumer applies the batches', () => {
    let service: ProjectionTestApp;

    beforeAll(async () => {
      // Polling is slowed to a minute so that updates can only come from the batch notifications.
      service = await startProjectionApp(db.dataSource, { consume: true, timings: { pollMs: 60_000, heartbeatMs: 100 } });
    });
    afterAll(() => service?.close());

    const publish = (...events: Parameters<typeof toWireMessage>[1][]) =>
      service.eventLog.publish(events.map((event) => toWireMessage(TOPICS.jobs, event)));

    it('sends the job at once, then an update after a batch from the event log is applied', async () => {
      await publish(aJobCreated('live'), aJobTargetsResolved('live', ['a', 'b', 'c']), aJobStarted('live', 3));
      await eventually(async () => (await fetch(`${service.baseUrl}/api/jobs/live`)).status, (status) => status === 200);
      const client = await open(service, 'live');
      expect(client.response.status).toBe(200);
      expect(client.response.headers.get('content-type')).toContain('text/event-stream');
      const first = await client.nextJob<JobView>();
      expect(first).toEqual(await (await fetch(`${service.baseUrl}/api/jobs/live`)).json());

      await publish(aDeviceSucceeded('live', 'a'), aDeviceFailed('live', 'b', 'offline'));
      const updated = await client.nextJob<JobView>((job) => job.counts.completed === 1 && job.counts.failed === 1);
      expect(updated).toMatchObject({ status: 'running', counts: { total: 3, pending: 1, completed: 1, failed: 1 } });
    });

    it('streams of one job share its re-reads: a change is read once for all of them', async () => {
      await publish(aJobCreated('watched'), aJobTargetsResolved('watched', ['a', 'b']), aJobStarted('watched', 2));
      await eventually(async () => (await fetch(`${service.baseUrl}/api/jobs/watched`)).status, (status) => status === 200);
      const viewers = await Promise.all(Array.from({ length: 5 }, () => open(service, 'watched')));
      await Promise.all(viewers.map((viewer) => viewer.nextJob()));
      const reads = jest.spyOn(service.app.get(JobViewsQuery), 'getJob');
      try {
        await publish(aDeviceSucceeded('watched', 'a'));
        for (const viewer of viewers) {
          expect(await viewer.nextJob<JobView>((job) => job.counts.completed === 1)).toMatchObject({ counts: { completed: 1, pending: 1 } });
        }
        // One batch notification, plus at most the throttle's trailing read: never one per viewer.
        expect(reads.mock.calls.length).toBeLessThanOrEqual(2);
      } finally {
        reads.mockRestore();
      }
    });

    it('sends heartbeat comments while nothing changes', async () => {
      await publish(aJobCreated('quiet'));
      await eventually(async () => (await fetch(`${service.baseUrl}/api/jobs/quiet`)).status, (status) => status === 200);
      const client = await open(service, 'quiet');
      await client.nextJob();
      expect(await client.next((item) => item.comment !== undefined)).toEqual({ comment: 'heartbeat' });
    });

    it('ends after the terminal status has been sent', async () => {
      await publish(aJobCreated('ending'), aJobStarted('ending', 0));
      await eventually(async () => (await fetch(`${service.baseUrl}/api/jobs/ending`)).status, (status) => status === 200);
      const client = await open(service, 'ending');
      await client.nextJob();
      await publish(aJobStopped('ending', now()));
      expect(await client.nextJob<JobView>((job) => job.status === 'stopped')).toMatchObject({ status: 'stopped', endedAt: expect.any(String) });
      await client.ended;
      expect(client.isDone).toBe(true);
    });

    it('sends an ended job once and ends', async () => {
      await publish(aJobCreated('already-ended'), aJobCompleted('already-ended', now()));
      await eventually(async () => (await fetch(`${service.baseUrl}/api/jobs/already-ended`)).status, (status) => status === 200);
      const client = await open(service, 'already-ended');
      expect(await client.nextJob<JobView>()).toMatchObject({ status: 'completed' });
      await client.ended;
      expect(client.isDone).toBe(true);
    });

    it('stops its timers when the client goes away', async () => {
      await publish(aJobCreated('left'));
      await eventually(async () => (await fetch(`${service.baseUrl}/api/jobs/left`)).status, (status) => status === 200);
      const streams = service.app.get(JobStreamHttpController);
      const client = await open(service, 'left');
      await client.nextJob();
      expect(streams.openStreams).toBe(1);
      client.close();
      expect(await eventually(async () => streams.openStreams, (n) => n === 0)).toBe(0);
    });

    it('answers 404 as a problem for an unknown job', async () => {
      const response = await fetch(`${service.baseUrl}/api/jobs/nope/stream`);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
    });
  });

  describe('served by another replica than the one that writes', () => {
    it('picks the change up by polling', async () => {
      const reader = await startProjectionApp(db.dataSource, { timings: { pollMs: 250, heartbeatMs: 60_000 } });
      const writer = new JobBatchHandler(await db.openAnother(), new JobChangeNotifier());
      try {
        await writer.apply([aJobCreated('other'), aJobTargetsResolved('other', ['x']), aJobStarted('other', 1)]);
        const client = await open(reader, 'other');
        expect(await client.nextJob<JobView>()).toMatchObject({ status: 'running', counts: { pending: 1 } });
        await writer.apply([aDeviceSucceeded('other', 'x'), aJobCompleted('other', now())]);
        expect(await client.nextJob<JobView>((job) => job.status === 'completed')).toMatchObject({ counts: { completed: 1, pending: 0 } });
        await client.ended;
      } finally {
        await reader.close();
      }
    });
  });
});
