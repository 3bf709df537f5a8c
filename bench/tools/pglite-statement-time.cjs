// Preloaded into the embedded process (BENCH_NODE_OPTIONS="--require <this file>"): sums, per SQL
// statement, the time PGlite spends executing the protocol messages of it. PGlite computes
// synchronously on the thread that calls it, so that time is the statement's CPU cost in the
// process (parsing, planning, executing, its file calls). A named prepared statement is followed
// from its Parse to each later Bind of its name. Writes the totals every 5 s and at exit to
// /tmp/fleetjobs-pglite-statements-<pid>.json ($PGLITE_STATEMENTS_DIR instead).
// Run as a script, prints the largest of such a file: node bench/tools/pglite-statement-time.cjs <file> [rows]
const fs = require('node:fs');
const path = require('node:path');

function summarise(file, limit) {
  const { totalMs, processCpuMs, statements } = JSON.parse(fs.readFileSync(file, 'utf8'));
  console.log(`PGlite ${totalMs} ms of the process's ${processCpuMs} ms of CPU`);
  console.log('     ms    runs  ms/run  statement');
  for (const row of statements.slice(0, limit)) {
    console.log(`${String(row.ms).padStart(7)} ${String(row.runs).padStart(7)} ${row.msPerRun.toFixed(3).padStart(7)}  ${row.sql.slice(0, 140)}`);
  }
}

function record() {
  const root = path.join(__dirname, '..', '..');
  const { PGlite } = require(require.resolve('@electric-sql/pglite', { paths: [process.cwd(), root] }));
  const out = path.join(process.env.PGLITE_STATEMENTS_DIR || '/tmp', `fleetjobs-pglite-statements-${process.pid}.json`);
  const totals = new Map();
  const named = new Map();
  let current = '(before any statement)';
  let totalMs = 0;
  // One text per statement shape: whitespace folded, a VALUES list of any length as one.
  const shape = (sql) => sql.replace(/\s+/g, ' ').replace(/(\(\$\d+[^()]*\),? ?){2,}/g, '(…)… ').slice(0, 300);
  const cString = (buf, from) => {
    let end = from;
    while (end < buf.length && buf[end] !== 0) end++;
    return { text: Buffer.from(buf.buffer, buf.byteOffset + from, end - from).toString('utf8'), next: end + 1 };
  };
  const execute = PGlite.prototype.execProtocolRawSync;
  PGlite.prototype.execProtocolRawSync = function (buf) {
    let runs = 0;
    for (let at = 0; at + 5 <= buf.length; ) {
      const type = buf[at];
      const length = buf[at + 1] * 2 ** 24 + (buf[at + 2] << 16) + (buf[at + 3] << 8) + buf[at + 4];
      if (type === 0x50) {
        // Parse: statement name, text
        const name = cString(buf, at + 5);
        current = shape(cString(buf, name.next).text);
        if (name.text) named.set(name.text, current);
      } else if (type === 0x42) {
        // Bind: portal name, statement name
        const statement = cString(buf, cString(buf, at + 5).next).text;
        if (statement) current = named.get(statement) || `(prepared ${statement})`;
        runs++;
      } else if (type === 0x51) {
        // Query: text
        current = shape(cString(buf, at + 5).text);
        runs++;
      }
      at += 1 + length;
    }
    const started = process.hrtime.bigint();
    try {
      return execute.call(this, buf);
    } finally {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      totalMs += ms;
      const total = totals.get(current) || { ms: 0, runs: 0 };
      total.ms += ms;
      total.runs += runs;
      totals.set(current, total);
    }
  };
  const write = () => {
    const cpu = process.cpuUsage();
    const statements = [...totals]
      .map(([sql, total]) => ({ ms: Math.round(total.ms), runs: total.runs, msPerRun: total.ms / Math.max(1, total.runs), sql }))
      .sort((a, b) => b.ms - a.ms);
    fs.writeFileSync(out, JSON.stringify({ totalMs: Math.round(totalMs), processCpuMs: Math.round((cpu.user + cpu.system) / 1000), statements }, null, 1));
  };
  setInterval(write, 5000).unref();
  process.on('exit', write);
}

if (require.main === module) summarise(process.argv[2], Number(process.argv[3] || 25));
else record();
