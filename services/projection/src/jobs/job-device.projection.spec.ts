import { FleetEvent } from '@fleetjobs/contracts';
import { projectionSpec } from '@fleetjobs/event-sourcing/testing';
import {
  aDeviceFailed,
  aDeviceSucceeded,
  aJobCompleted,
  aJobCreated,
  aJobStopped,
  aJobTargetsResolved,
  anUnknownEvent,
} from '../testing/job-event.builders';
import { evolveJobDevice, JobDeviceEvent, JobDeviceRow, jobDeviceEvents } from './job-device.projection';
import { evolveJob } from './job.projection';

const spec = projectionSpec<JobDeviceRow, JobDeviceEvent>(evolveJobDevice);
const JOB = 'job-1';

/** The facts of one event about one device (the consumer folds them the same way). */
function factOf(event: FleetEvent, deviceId = 'vm-1'): JobDeviceEvent {
  const fact = jobDeviceEvents(event).find((item) => item.deviceId === deviceId);
  if (!fact) throw new Error(`${event.type} says nothing about ${deviceId}`);
  return fact;
}

const targeted = factOf(aJobTargetsResolved(JOB, ['vm-0', 'vm-1', 'vm-2']));
const succeeded = factOf(aDeviceSucceeded(JOB, 'vm-1'));
const failed = factOf(aDeviceFailed(JOB, 'vm-1', 'setting not acknowledged within 30 s'));

describe('jobDeviceEvents', () => {
  it('splits a target chunk into one fact per device, in order', () => {
    expect(jobDeviceEvents(aJobTargetsResolved(JOB, ['a', 'b'])).map((fact) => fact.deviceId)).toEqual(['a', 'b']);
  });

  it('says nothing for events about no device', () => {
    expect(jobDeviceEvents(aJobCreated(JOB))).toEqual([]);
    expect(jobDeviceEvents(anUnknownEvent(JOB))).toEqual([]);
  });
});

describe('evolveJobDevice', () => {
  describe('each event on its own', () => {
    it('a target makes a pending row with the display name', () => {
      spec.given([]).when(targeted).then({
        jobId: JOB,
        deviceId: 'vm-1',
        displayName: 'Device vm-1',
        status: 'pending',
        error: null,
        deleted: false,
      });
    });

    it('DeviceSucceeded completes a pending row', () => {
      spec.given([targeted]).when(succeeded).then({ status: 'completed', error: null, displayName: 'Device vm-1' });
    });

    it('DeviceFailed fails a pending row with the error', () => {
      spec.given([targeted]).when(failed).then({ status: 'failed', error: 'setting not acknowledged within 30 s' });
    });

    it('an unknown fact leaves the row unchanged', () => {
      spec.given([targeted, succeeded]).when({ type: 'DeviceRenamed' } as unknown as JobDeviceEvent).thenUnchanged();
      spec.given([]).when({ type: 'DeviceRenamed' } as unknown as JobDeviceEvent).then(null);
    });
  });

  describe('the same event twice changes nothing', () => {
    it.each([
      ['target', targeted],
      ['success', succeeded],
      ['failure', failed],
    ])('%s', (_name, fact) => {
      spec.given([targeted, fact]).when(fact).thenUnchanged();
    });
  });

  describe('out of order', () => {
    it('an outcome before the target creates the row; the late target never downgrades it', () => {
      spec.given([]).when(succeeded).then({ status: 'completed', displayName: null });
      spec.given([succeeded]).when(targeted).then({ status: 'completed', displayName: 'Device vm-1' });
      spec.given([failed]).when(targeted).then({ status: 'failed', error: 'setting not acknowledged within 30 s' });
    });

    it('an outcome is final: a different outcome later changes nothing', () => {
      spec.given([targeted, failed]).when(succeeded).thenUnchanged();
      spec.given([targeted, succeeded]).when(failed).thenUnchanged();
    });

    it('keeps the deleted mark through later facts', () => {
      const deletedRow = { ...evolveJobDevice(null, targeted)!, deleted: true };
      expect(evolveJobDevice(deletedRow, succeeded)).toMatchObject({ status: 'completed', deleted: true });
    });
  });
});

describe('the times a device row keeps', () => {
  const at = (time: string) => `2026-03-01T10:${time}.000Z`;
  const targetedAt = (time: string) => ({ ...targeted, time: at(time) });

  it('a target keeps its event time; the earliest of repeated targets wins, in any order', () => {
    spec.given([]).when(targetedAt('00:05')).then({ targetedAt: at('00:05'), outcomeAt: null });
    spec.given([targetedAt('00:05')]).when(targetedAt('00:03')).then({ targetedAt: at('00:03') });
    spec.given([targetedAt('00:03')]).when(targetedAt('00:05')).thenUnchanged();
  });

  it('an outcome keeps the time it says it happened, not the envelope time', () => {
    const event = { ...aDeviceSucceeded(JOB, 'vm-1'), time: at('09:00') };
    const fact = factOf({ ...event, data: { ...event.data, completedAt: at('00:07') } });
    spec.given([targeted]).when(fact).then({ status: 'completed', outcomeAt: at('00:07') });
  });

  it('a later outcome changes neither the outcome nor its time', () => {
    const first = { ...failed, time: at('00:07') };
    spec.given([targeted, first]).when({ ...succeeded, time: at('00:08') }).thenUnchanged();
  });

  it('an outcome before the target keeps both times', () => {
    spec.given([{ ...succeeded, time: at('00:02') }]).when(targetedAt('00:04')).then({ targetedAt: at('00:04'), outcomeAt: at('00:02') });
  });
});

describe('a job and its devices folded together', () => {
  function fold(events: FleetEvent[]) {
    const job = events.reduce(evolveJob, null);
    const devices = new Map<string, JobDeviceRow>();
    for (const fact of events.flatMap(jobDeviceEvents)) {
      const row = evolveJobDevice(devices.get(fact.deviceId) ?? null, fact);
      if (row) devices.set(fact.deviceId, row);
    }
    const rows = [...devices.values()];
    const count = (status: string) => rows.filter((row) => row.status === status).length;
    return { status: job?.status, counts: { total: rows.length, pending: count('pending'), completed: count('completed'), failed: count('failed') } };
  }

  const start = [aJobCreated(JOB), aJobTargetsResolved(JOB, ['vm-0', 'vm-1', 'vm-2'])];

  it('JobStopped then a late DeviceSucceeded: counts move, the status stays stopped', () => {
    expect(fold([...start, aJobStopped(JOB)])).toEqual({ status: 'stopped', counts: { total: 3, pending: 3, completed: 0, failed: 0 } });
    expect(fold([...start, aJobStopped(JOB), aDeviceSucceeded(JOB, 'vm-1')])).toEqual({
      status: 'stopped',
      counts: { total: 3, pending: 2, completed: 1, failed: 0 },
    });
  });

  it('JobCompleted before the last outcomes: the counts catch up, the status stays completed', () => {
    const events = [...start, aDeviceSucceeded(JOB, 'vm-0'), aJobCompleted(JOB), aDeviceSucceeded(JOB, 'vm-1'), aDeviceFailed(JOB, 'vm-2')];
    expect(fold(events)).toEqual({ status: 'completed', counts: { total: 3, pending: 0, completed: 2, failed: 1 } });
  });

  it('outcomes before JobCreated and the targets end the same as in order', () => {
    const inOrder = [...start, aDeviceSucceeded(JOB, 'vm-1'), aDeviceFailed(JOB, 'vm-2')];
    const outOfOrder = [aDeviceFailed(JOB, 'vm-2'), aDeviceSucceeded(JOB, 'vm-1'), ...start];
    expect(fold(outOfOrder)).toEqual(fold(inOrder));
  });
});
