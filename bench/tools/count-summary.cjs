// node bench/tools/count-summary.cjs <BENCH_OUT file> [count dir]: the counts of count-requests.cjs
// over the bench's job (from its start to its end, as the summary dates them), per device operation.
const fs = require('node:fs');

const [summaryFile, dir = process.env.COUNT_DIR || '/tmp/fleetjobs-counts'] = process.argv.slice(2);
const summary = JSON.parse(fs.readFileSync(summaryFile, 'utf8'));
const endMs = Date.parse(summary.date);
const startMs = endMs - summary.job.seconds * 1000;
const devices = summary.job.counts.completed;

const totals = new Map();
const perService = new Map();
let statements = 0;
let requests = 0;
for (const name of fs.readdirSync(dir).filter((file) => file.endsWith('.jsonl'))) {
  const lines = fs.readFileSync(`${dir}/${name}`, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
  const at = (t) => lines.filter((line) => line.t <= t).pop() || { counts: {} };
  const [from, to] = [at(startMs), at(endMs)];
  const service = (lines[0] && lines[0].script.split('/')[0]) || name;
  for (const [key, value] of Object.entries(to.counts)) {
    const delta = value - (from.counts[key] || 0);
    if (!delta) continue;
    totals.set(`${service} | ${key}`, (totals.get(`${service} | ${key}`) || 0) + delta);
    if (key.startsWith('SQL ')) {
      statements += delta;
      perService.set(service, (perService.get(service) || 0) + delta);
    } else if (key.startsWith('HTTP ')) requests += delta;
  }
}
const perOp = (n) => (n / devices).toFixed(3);
console.log(`${devices} devices, job ${summary.job.seconds.toFixed(1)} s`);
console.log(`SQL statements: ${statements} = ${perOp(statements)} per device op; hub requests: ${requests} = ${perOp(requests)} per device op`);
for (const [service, n] of perService) console.log(`  ${service}: ${n} statements (${perOp(n)} per op)`);
for (const [key, n] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.COUNT_TOP || 40))) console.log(`${String(n).padStart(7)} ${perOp(n).padStart(7)}  ${key}`);
