import { FleetEvent } from '@fleetjobs/contracts';
import { aJobCreated } from '../testing/job-event.builders';
import { evolveJob, JobRow } from './job.projection';

const startAt = '2026-11-27T22:00:00.000Z';
const fold = (events: FleetEvent[]): JobRow | null => events.reduce<JobRow | null>((row, event) => evolveJob(row, event), null);
const reached = { ...aJobCreated('night'), type: 'JobStartReached', data: { jobId: 'night', startAt, reachedAt: '2026-11-27T22:00:01.000Z' } } as unknown as FleetEvent;

describe('job row: a scheduled start', () => {
  it('keeps the schedule of the job as created', () => {
    expect(fold([aJobCreated('night', { schedule: { startAt } })])).toMatchObject({ status: 'pending', schedule: { startAt }, startReachedAt: null });
  });

  it('records when the start was reached, once', () => {
    const row = fold([aJobCreated('night', { schedule: { startAt } }), reached, { ...reached, data: { ...(reached.data as object), reachedAt: '2026-11-27T23:00:00.000Z' } } as FleetEvent]);
    expect(row).toMatchObject({ schedule: { startAt }, startReachedAt: '2026-11-27T22:00:01.000Z' });
  });

  it('a start reached before the JobCreated is seen is kept', () => {
    expect(fold([reached, aJobCreated('night', { schedule: { startAt } })])).toMatchObject({ schedule: { startAt }, startReachedAt: '2026-11-27T22:00:01.000Z' });
  });

  it('a job without a schedule has none', () => {
    expect(fold([aJobCreated('night')])).toMatchObject({ schedule: null, startReachedAt: null });
  });
});
