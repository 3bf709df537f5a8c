import type { CpuLine } from './cpu-account';
import type { HubFloorResult } from './hub-floor.runner';
import type { KafkaFloorResult } from './kafka-floor.runner';
import type { FreshnessReport } from './projection-freshness.sampler';
import type { SideJobResult } from './side-job.probe';

/** Everything one run measured; written as JSON to BENCH_OUT. */
export interface BenchSummary {
  date: string;
  commit: string;
  /** Tracked files differed from the commit when the bench was built. */
  dirty: boolean;
  topology: 'distributed' | 'embedded';
  operation: 'property' | 'setting' | 'command';
  devices: number;
  dispatchers: number;
  concurrencyPerDispatcher: number;
  latencyMs: number;
  job: {
    status: string;
    counts: Record<string, number>;
    seconds: number;
    opsPerSecond: number;
    /** Events the job added to the jobs topic (distributed). */
    events: number | null;
    /** Requests the hub simulator counted (served or throttled) from job start to end; absent in older summaries. */
    hubRequests?: number | null;
  };
  cpu: {
    /** CPU ms per completed device operation, by process (or group of processes). */
    perOpMs: Record<string, number>;
    lines: (CpuLine & { perOpMs: number })[];
    /** Services + PostgreSQL + Kafka (distributed); null in embedded, where the simulator shares the process. */
    fleetjobsWithoutSimulatorMsPerOp: number | null;
    /** Embedded: the embedded process's figure minus the simulator's CPU per op in the floor (same process, idle otherwise). */
    embeddedWithoutSimulatorEstimateMsPerOp: number | null;
    machine: { busyCores: number; measuredShareOfBusy: number };
  };
  rssMiB: Record<string, { peak: number | null; now: number | null }>;
  floor: {
    hub: HubFloorResult & { cpuMsPerOp: Record<string, number> };
    /** Fleetjobs' ops/s as a percentage of the hub path's. */
    percent: number;
    kafka: KafkaFloorResult | null;
  } | null;
  freshness: FreshnessReport;
  /** A 3-device job created once a third of the big job's devices had completed; null when the big job ended first. */
  sideJob: SideJobResult | null;
}

const ms = (value: number | null) => (value === null ? 'n/a' : value < 10 ? value.toFixed(3) : value.toFixed(1));
const seconds = (valueMs: number | null) => (valueMs === null ? 'n/a' : `${(valueMs / 1000).toFixed(2)} s`);

export function printSummary(summary: BenchSummary, notes: { embeddedSimulator: boolean }): void {
  const out: string[] = [];
  out.push('');
  out.push(
    `=== Fleetjobs benchmark: ${summary.topology}, ${summary.operation}, ${summary.devices} devices, ` +
      `${summary.dispatchers} dispatcher(s) × ${summary.concurrencyPerDispatcher} concurrent, device latency ${summary.latencyMs} ms`,
  );
  out.push(`commit ${summary.commit}${summary.dirty ? ' (+ uncommitted changes)' : ''}, ${summary.date}`);
  out.push(`job: ${summary.job.status}; counts ${JSON.stringify(summary.job.counts)}${summary.job.events !== null ? `; ${summary.job.events} events on the jobs topic` : ''}`);
  out.push(`time to complete: ${summary.job.seconds.toFixed(1)} s`);
  out.push(`device operations per second: ${summary.job.opsPerSecond.toFixed(0)}`);
  const completed = summary.job.counts['completed'] ?? 0;
  if (summary.job.hubRequests != null && completed > 0) {
    out.push(
      `hub requests per device operation: ${(summary.job.hubRequests / completed).toFixed(3)} ` +
        `(${summary.job.hubRequests} the simulator counted during the job, the 3-device job beside it included)`,
    );
  }
  if (summary.floor) {
    const { hub } = summary.floor;
    out.push(
      `floor, the hub path alone (${hub.call}, ${hub.concurrency} concurrent, ${hub.devices} devices): ` +
        `${hub.opsPerSecond.toFixed(0)} ops/s${hub.failed ? ` (${hub.failed} failed: ${hub.firstFailure})` : ''}`,
    );
    out.push(`  Fleetjobs at ${summary.floor.percent.toFixed(0)} % of the floor`);
    out.push(`  floor CPU ms per op: ${Object.entries(hub.cpuMsPerOp).map(([name, value]) => `${name} ${ms(value)}`).join(', ')}`);
    const kafka = summary.floor.kafka;
    if (kafka) {
      out.push(
        `raw kafkajs produce→consume, same broker: ${kafka.messages} messages of ~${kafka.messageBytes} B (value + headers, one key) ` +
          `in ${kafka.seconds.toFixed(1)} s: ${kafka.msgsPerSecond.toFixed(0)} msgs/s`,
      );
    }
  }
  out.push('CPU ms per device operation (/proc utime+stime, job start → end):');
  for (const line of summary.cpu.lines) {
    out.push(`  ${line.name.padEnd(26)} ${ms(line.perOpMs).padStart(7)}${line.note ? `   (${line.note})` : ''}`);
  }
  if (summary.cpu.fleetjobsWithoutSimulatorMsPerOp !== null) {
    out.push(`  ${'Fleetjobs without simulator'.padEnd(26)} ${ms(summary.cpu.fleetjobsWithoutSimulatorMsPerOp).padStart(7)}   (services + PostgreSQL + Kafka)`);
  }
  if (notes.embeddedSimulator) {
    out.push('  the hub simulator runs inside the embedded process: its CPU is in the embedded figure, which cannot be split');
    if (summary.cpu.embeddedWithoutSimulatorEstimateMsPerOp !== null) {
      out.push(
        `  ${'Fleetjobs without simulator'.padEnd(26)} ≈${ms(summary.cpu.embeddedWithoutSimulatorEstimateMsPerOp).padStart(6)}   ` +
          '(estimate: embedded minus the simulator\'s CPU per op measured in the floor)',
      );
    }
  }
  out.push(
    `  machine: ${summary.cpu.machine.busyCores.toFixed(2)} cores busy on average; ` +
      `the processes above account for ${(summary.cpu.machine.measuredShareOfBusy * 100).toFixed(0)} % of that`,
  );
  out.push('peak RSS (MiB, VmHWM since each process started):');
  for (const [name, rss] of Object.entries(summary.rssMiB)) {
    out.push(`  ${name.padEnd(26)} peak ${String(rss.peak ?? '?').padStart(5)}, now ${rss.now ?? '?'}`);
  }
  const f = summary.freshness;
  out.push(`projection freshness (age of the oldest unprocessed event, ${f.samples} samples): p50 ${seconds(f.p50Ms)}, p99 ${seconds(f.p99Ms)}, max ${seconds(f.maxMs)}; max lag ${f.maxLagMessages ?? 'n/a'} messages`);
  out.push(`  ${f.method}`);
  const side = summary.sideJob;
  out.push(
    side
      ? `a 3-device job created beside it (at ${side.startedAtCompleted} devices completed): ${side.status} in ${side.seconds.toFixed(2)} s`
      : 'a 3-device job beside it: not run (the job ended before a third of its devices had completed)',
  );
  console.log(out.join('\n'));
}
