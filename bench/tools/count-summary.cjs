// node bench/tools/count-summary.cjs <BENCH_OUT file> [count dir]: the counts of count-requests.cjs
// over the bench's job (from its start to its end, as the summary dates them), per device operation,
// then the statements by their summed wall time per device operation (COUNT_TOP lines of each).
const fs = require('node:fs');

const [summaryFile, dir = process.env.COUNT_DIR || '/tmp/fleetjobs-counts'] = process.argv.slice(2);
const summary = JSON.parse(fs.readFileSync(summaryFile, 'utf8'));
const endMs = Date.parse(summary.date);
const startMs = endMs - summary.job.seconds * 1000;
const devices = summary.job.counts.completed;

const totals = new Map();
const perService = new Map();
const timed = new Map();
let statements = 0;
let statementMs = 0;
let requests = 0;
let kafkaRequests = 0;
for (const name of fs.readdirSync(dir).filter((file) => file.endsWith('.jsonl'))) {
  const lines = fs.readFileSync(`${dir}/${name}`, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
  const at = (t) => lines.filter((line) => line.t <= t).pop() || { counts: {} };
  const [from, to] = [at(startMs), at(endMs)];
  const service = (lines[0] && lines[0].script.split('/')[0]) || name;
  for (const [key, value] of Object.entries(to.counts)) {
    const delta = value - (from.counts[key] || 0);
    if (!delta) continue;
    if (key.startsWith('ms ')) {
      timed.set(`${service} | ${key.slice(3)}`, (timed.get(`${service} | ${key.slice(3)}`) || 0) + delta);
      statementMs += delta;
      continue;
    }
    totals.set(`${service} | ${key}`, (totals.get(`${service} | ${key}`) || 0) + delta);
    if (key.startsWith('SQL ')) {
      statements += delta;
      perService.set(service, (perService.get(service) || 0) + delta);
    } else if (key.startsWith('HTTP ')) requests += delta;
    else if (key.startsWith('KAFKA ')) kafkaRequests += delta;
  }
}
const perOp = (n) => (n / devices).toFixed(3);
console.log(`${devices} devices, job ${summary.job.seconds.toFixed(1)} s`);
console.log(`SQL statements: ${statements} = ${perOp(statements)} per device op; hub requests: ${requests} = ${perOp(requests)} per device op; Kafka requests: ${kafkaRequests} = ${perOp(kafkaRequests)} per device op`);
for (const [service, n] of perService) console.log(`  ${service}: ${n} statements (${perOp(n)} per op)`);
const top = Number(process.env.COUNT_TOP || 40);
for (const [key, n] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${String(n).padStart(7)} ${perOp(n).padStart(7)}  ${key}`);
if (timed.size > 0) {
  console.log(`\nSQL wall time: ${statementMs.toFixed(0)} ms = ${perOp(statementMs)} ms per device op (ms/op, statements/op, ms per statement)`);
  for (const [key, ms] of [...timed].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    const n = totals.get(key) || 0;
    console.log(`${perOp(ms).padStart(7)} ${perOp(n).padStart(7)} ${(n ? ms / n : 0).toFixed(2).padStart(7)}  ${key}`);
  }
}
