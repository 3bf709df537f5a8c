import { readFileSync } from 'node:fs';
import type { BenchSummary } from './bench-report';
import { TABLE_HEADER, tableRow } from './table-row.format';

/** `node dist/bench/src/bench-table.js <summary.json>...`: the lines of docs/benchmarks.md's table of runs for BENCH_OUT files. */
const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node dist/bench/src/bench-table.js <BENCH_OUT file>...');
  process.exit(2);
}
console.log(TABLE_HEADER);
for (const file of files) console.log(tableRow(JSON.parse(readFileSync(file, 'utf8')) as BenchSummary));
