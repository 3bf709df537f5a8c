import type { BenchSummary } from './bench-report';

/** The header of the table of runs in docs/benchmarks.md; `tableRow` fills one line of it. */
export const TABLE_HEADER = [
  '| date (UTC) | commit | topology | op | devices | ops/s | floor ops/s | % of floor | disp | proj | dset | jcmd | pg | kafka | total | sim | peak RSS MiB | freshness p50 / p99 / max | 3-device job beside | kafkajs msgs/s | machine |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
].join('\n');

const fixed = (value: number | null | undefined, digits = 2) => (value === null || value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(digits));
const thousands = (value: number) => Math.round(value).toLocaleString('en-US');
const seconds = (ms: number | null) => (ms === null ? 'n/a' : (ms / 1000).toFixed(2));

/** One markdown line for a run's summary, in the columns of `TABLE_HEADER`. */
export function tableRow(summary: BenchSummary): string {
  const perOp = summary.cpu.perOpMs;
  const sum = (prefix: string) => {
    const values = Object.entries(perOp).filter(([name]) => name.startsWith(prefix));
    return values.length ? values.reduce((total, [, value]) => total + value, 0) : null;
  };
  const embedded = summary.topology === 'embedded';
  const floor = summary.floor;
  const rss = Object.entries(summary.rssMiB).filter(([name]) => !name.startsWith('Kafka'));
  const maxRss = rss.reduce<[string, number] | null>((max, [name, { peak }]) => (peak !== null && (!max || peak > max[1]) ? [name, peak] : max), null);
  const f = summary.freshness;
  const cells = [
    summary.date.slice(0, 16).replace('T', ' '),
    `${summary.commit.slice(0, 7)}${summary.dirty ? '+wt' : ''}`,
    embedded ? 'embedded' : `distributed, ${summary.dispatchers} disp`,
    summary.operation,
    thousands(summary.devices),
    thousands(summary.job.opsPerSecond),
    floor ? thousands(floor.hub.opsPerSecond) : '–',
    floor ? `${floor.percent.toFixed(0)} %` : '–',
    fixed(sum('dispatcher')),
    fixed(perOp['projection']),
    fixed(perOp['device-set']),
    fixed(perOp['job-command']),
    fixed(perOp['PostgreSQL']),
    fixed(perOp['Kafka']),
    embedded
      ? `${fixed(perOp['embedded'])} whole process; ≈${fixed(summary.cpu.embeddedWithoutSimulatorEstimateMsPerOp)} without sim`
      : `**${fixed(summary.cpu.fleetjobsWithoutSimulatorMsPerOp)}**`,
    embedded
      ? `≈${fixed(floor?.hub.cpuMsPerOp['hub simulator (in embedded, with PGlite)'])} (floor)`
      : `${fixed(perOp['hub simulator'])}${perOp['PostgreSQL for the simulator'] === undefined ? '' : ` + ${fixed(perOp['PostgreSQL for the simulator'])} pg`}`,
    maxRss ? `${maxRss[1]} (${maxRss[0]})` : '–',
    f.p99Ms === null ? `n/a (max lag ${f.maxLagMessages ?? '?'} msgs)` : `${seconds(f.p50Ms)} / ${seconds(f.p99Ms)} / ${seconds(f.maxMs)} s`,
    summary.sideJob ? `${summary.sideJob.seconds.toFixed(2)} s` : '–',
    floor?.kafka ? thousands(floor.kafka.msgsPerSecond) : '–',
    `${(summary.cpu.machine.measuredShareOfBusy * 100).toFixed(0)} %`,
  ];
  return `| ${cells.join(' | ')} |`;
}
