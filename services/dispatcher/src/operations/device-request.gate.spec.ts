import { JobOperation } from '@fleetjobs/contracts';
import { MutationRefused } from '@fleetjobs/device-gateway';
import { JobControlStore } from '@fleetjobs/persistence-pg';
import { waitFor } from '@fleetjobs/testing';
import { ClaimedWork } from '../work/dispatch-events';
import { SendMarks } from '../work/send-marks';
import { DeviceRequestGate, GateUnavailable } from './device-request.gate';
import { HubRateLimiter } from './hub-rate.limiter';
import { JOB_HALTED, JOB_PAUSED, JobPermits } from './job-permits';

const LEASE_MS = 1200;
const MARGIN_MS = 500;
const SETTING: JobOperation = { type: 'setting', name: 'fanSpeed', value: 4 };
const PROPERTY: JobOperation = { type: 'property', name: 'location', value: 'Aisle 7' };
const REBOOT: JobOperation = { type: 'command', name: 'reboot', value: {} };

/** job_control as a dispatcher sees it: a job running, paused or halted, and the grants asked. */
function jobControl() {
  const control = { state: 'running' as 'running' | 'paused' | 'halted', grants: 0 };
  const store = {
    grant: async (_executor: unknown, jobIds: string[]) => {
      control.grants += 1;
      if (control.state === 'halted') return { granted: [], halted: jobIds, paused: [] };
      if (control.state === 'paused') return { granted: [], halted: [], paused: jobIds };
      return { granted: jobIds, halted: [], paused: [] };
    },
  } as unknown as JobControlStore;
  return { control, store };
}

function gateFor(operations: JobOperation[]) {
  let clock = 1_000_000;
  const { control, store } = jobControl();
  const permits = new JobPermits(store, {} as never, LEASE_MS, MARGIN_MS, () => clock);
  const unit: ClaimedWork = { jobId: 'job-1', deviceId: 'vm-1', operations, redrive: false, attempts: 0 };
  const marked: { keep: unknown[]; replace: boolean }[] = [];
  const marks = {
    mark: async (_jobId: string, _deviceId: string, keep: unknown[] = [], replace = true) => {
      marked.push({ keep, replace });
      return true;
    },
  } as unknown as SendMarks;
  const slots = { handedOut: 0, stale: 0 };
  const limiter = {
    acquire: async () => {
      slots.handedOut += 1;
      return { until: slots.stale > 0 ? clock - 1 : Number.POSITIVE_INFINITY };
    },
    inTime: (slot: { until: number }) => {
      if (clock <= slot.until) return true;
      slots.stale -= 1;
      return false;
    },
  } as unknown as HubRateLimiter;
  const gate = new DeviceRequestGate(unit, permits, marks, limiter, Number.POSITIVE_INFINITY, () => clock);
  /** Moves past the permit held, so the next request needs a new one. */
  const permitRunsOut = () => {
    clock += LEASE_MS;
  };
  return { gate, control, permitRunsOut, slots, marked };
}

describe('DeviceRequestGate and the hub\'s send slots', () => {
  it('does not send in a slot that went by while the process was held up: it waits for the next one', async () => {
    const { gate, slots } = gateFor([PROPERTY]);
    slots.stale = 2;
    await gate.beforeMutation();
    expect(slots).toEqual({ handedOut: 3, stale: 0 });
    expect(gate.mayHaveSent).toBe(true);
  });

  it('reads only in a slot that is still good', async () => {
    const { gate, slots } = gateFor([PROPERTY]);
    slots.stale = 1;
    await gate.beforeRead();
    expect(slots).toEqual({ handedOut: 2, stale: 0 });
  });
});

describe('DeviceRequestGate as a request is about to leave', () => {
  it('lets a request leave while the permit it passed with still holds', async () => {
    const { gate } = gateFor([PROPERTY]);
    await gate.beforeMutation();
    expect(() => gate.beforeBytesLeave()).not.toThrow();
  });

  it('holds back a request whose permit ran out while its connection opened: nothing was sent', async () => {
    const { gate, permitRunsOut } = gateFor([PROPERTY]);
    await gate.beforeMutation();
    permitRunsOut();
    expect(() => gate.beforeBytesLeave()).toThrow(GateUnavailable);
    gate.notApplied();
    expect(gate.mayHaveSent).toBe(false);
  });
});

describe('DeviceRequestGate and the values a write replaces', () => {
  const lobby = { kind: 'property', name: 'location', previous: { present: true as const, value: 'lobby' } };

  it('writes them with the send mark, and writes again for a value heard once the claim is confirmed', async () => {
    const { gate, marked } = gateFor([PROPERTY, PROPERTY]);
    gate.keepBeforeSend({ ...lobby, previous: { present: false } });
    gate.keepBeforeSend(lobby);
    await gate.beforeMutation();
    expect(marked).toEqual([{ keep: [lobby], replace: true }]);
    // Confirmed for a while: a request with nothing to keep needs no statement, one with a value does.
    await gate.beforeMutation();
    expect(marked).toHaveLength(1);
    const hall = { kind: 'setting', name: 'mode', previous: { present: true as const, value: 'eco' } };
    gate.keepBeforeSend(hall);
    await gate.beforeMutation();
    expect(marked).toEqual([{ keep: [lobby], replace: true }, { keep: [hall], replace: true }]);
  });

  it('writes nothing of them when the job is paused before the request', async () => {
    const { gate, control, marked } = gateFor([PROPERTY]);
    control.state = 'paused';
    gate.keepBeforeSend(lobby);
    await expect(gate.beforeMutation()).rejects.toThrow(new MutationRefused(JOB_PAUSED));
    expect(marked).toEqual([]);
  });
});

describe('DeviceRequestGate when the job is paused', () => {
  it('refuses the first change of a device as paused: nothing was sent, the device can be handed back', async () => {
    const { gate, control } = gateFor([SETTING]);
    control.state = 'paused';
    await expect(gate.beforeMutation()).rejects.toThrow(new MutationRefused(JOB_PAUSED));
    expect(gate.mayHaveSent).toBe(false);
  });

  it('refuses the next change of a device part way through properties and settings: a re-drive finishes them', async () => {
    const { gate, control, permitRunsOut } = gateFor([SETTING, PROPERTY]);
    await gate.beforeMutation();
    control.state = 'paused';
    permitRunsOut();
    await expect(gate.beforeMutation()).rejects.toThrow(new MutationRefused(JOB_PAUSED));
    expect(gate.mayHaveSent).toBe(true);
  });

  it('holds the next change of a device part way through operations with a command until the job is resumed', async () => {
    const { gate, control, permitRunsOut } = gateFor([SETTING, REBOOT]);
    await gate.beforeMutation();
    control.state = 'paused';
    permitRunsOut();
    let passed = false;
    const next = gate.beforeMutation().then(() => {
      passed = true;
    });
    const grantsBefore = control.grants;
    await waitFor('the paused job asked again', () => control.grants >= grantsBefore + 2, 10_000, 20);
    expect(passed).toBe(false);
    control.state = 'running';
    await next;
    expect(passed).toBe(true);
  });

  it('lets a stop end the wait of a device part way through operations with a command', async () => {
    const { gate, control, permitRunsOut } = gateFor([REBOOT, REBOOT]);
    await gate.beforeMutation();
    control.state = 'paused';
    permitRunsOut();
    const next = gate.beforeMutation();
    const grantsBefore = control.grants;
    await waitFor('the paused job asked again', () => control.grants >= grantsBefore + 1, 10_000, 20);
    control.state = 'halted';
    await expect(next).rejects.toThrow(new MutationRefused(JOB_HALTED));
  });
});
