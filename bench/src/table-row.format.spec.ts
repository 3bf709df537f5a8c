import type { BenchSummary } from './bench-report';
import { TABLE_HEADER, tableRow } from './table-row.format';

const distributed: BenchSummary = {
  date: '2026-12-04T20:20:42.846Z',
  commit: '2956620ae1adbed71cb78dd6affe8f02619bee85',
  dirty: true,
  topology: 'distributed',
  operation: 'property',
  devices: 20000,
  dispatchers: 2,
  concurrencyPerDispatcher: 64,
  latencyMs: 0,
  job: { status: 'completed', counts: { total: 20000, pending: 0, completed: 20000, failed: 0 }, seconds: 52.6, opsPerSecond: 380.2, events: 20045 },
  cpu: {
    perOpMs: { 'hub simulator': 0.259, 'dispatcher-1': 0.343, 'dispatcher-2': 0.283, projection: 0.151, 'device-set': 0.118, 'job-command': 0.103, PostgreSQL: 0.429, Kafka: 0.195 },
    lines: [],
    fleetjobsWithoutSimulatorMsPerOp: 1.638,
    embeddedWithoutSimulatorEstimateMsPerOp: null,
    machine: { busyCores: 1.99, measuredShareOfBusy: 0.38 },
  },
  rssMiB: { 'device-set': { peak: 283, now: 167 }, projection: { peak: 171, now: 164 }, 'Kafka (pid 1)': { peak: 500, now: 500 } },
  floor: {
    hub: { call: 'AzureIotHubDeviceGateway.applyProperty', devices: 20000, concurrency: 128, seconds: 20.3, opsPerSecond: 987.4, succeeded: 20000, failed: 0, firstFailure: null, cpuMsPerOp: {} },
    percent: 38.5,
    kafka: { messages: 20045, messageBytes: 330, seconds: 1.9, msgsPerSecond: 10543.2 },
  },
  freshness: { method: '', groups: [], intervalMs: 250, samples: 172, p50Ms: 130, p99Ms: 1600, maxMs: 1630, maxLagMessages: 625 },
  sideJob: { startedAtCompleted: 6700, seconds: 1.234, status: 'completed' },
};

describe('tableRow', () => {
  it('fills every column of the table of runs', () => {
    const row = tableRow(distributed);
    expect(row.split('|').length).toBe(TABLE_HEADER.split('\n')[0].split('|').length);
    expect(row).toBe(
      '| 2026-12-04 20:20 | 2956620+wt | distributed, 2 disp | property | 20,000 | 380 | 987 | 39 % | 0.63 | 0.15 | 0.12 | 0.10 | 0.43 | 0.20 | **1.64** | 0.26 | ' +
        '283 (device-set) | 0.13 / 1.60 / 1.63 s | 1.23 s | 10,543 | 38 % |',
    );
  });

  it('shows an embedded run by its whole process, the estimate without the simulator and the lag instead of an age', () => {
    const row = tableRow({
      ...distributed,
      topology: 'embedded',
      dispatchers: 1,
      cpu: { ...distributed.cpu, perOpMs: { embedded: 2.54 }, fleetjobsWithoutSimulatorMsPerOp: null, embeddedWithoutSimulatorEstimateMsPerOp: 2.135 },
      rssMiB: { embedded: { peak: 834, now: 546 } },
      floor: { ...distributed.floor!, hub: { ...distributed.floor!.hub, cpuMsPerOp: { 'hub simulator (in embedded, with PGlite)': 0.405 } }, kafka: null },
      freshness: { ...distributed.freshness, p50Ms: null, p99Ms: null, maxMs: null, maxLagMessages: 12 },
    });
    expect(row).toContain('| embedded | property |');
    expect(row).toContain('| 2.54 whole process; ≈2.13 without sim | ≈0.41 (floor) | 834 (embedded) | n/a (max lag 12 msgs) | 1.23 s | – |');
  });
});
