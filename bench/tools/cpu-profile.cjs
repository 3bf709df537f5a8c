// Preloaded into a process (BENCH_NODE_OPTIONS="--require <this file>"): records a CPU profile of
// its main thread with the inspector, from start to exit (or SIGTERM/SIGINT), and writes it to
// /tmp/fleetjobs-profiles/<service>-<pid>.cpuprofile ($CPU_PROFILE_DIR instead). `--cpu-prof`
// itself is refused in NODE_OPTIONS, hence this.
// Run as a script, prints where a profile's time went, by package and by function; with a bench
// summary (BENCH_OUT), only the samples taken while its job ran:
//   node bench/tools/cpu-profile.cjs <file.cpuprofile> [rows] [summary.json]
const fs = require('node:fs');
const path = require('node:path');

function packageOf(url) {
  if (!url) return '(native)';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith('node:')) return 'node';
  const dist = url.indexOf('/dist/');
  if (dist >= 0) return url.slice(dist + 6).split('/').slice(0, 2).join('/');
  return url;
}

function summarise(file, limit, summaryFile) {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map();
  const gaps = profile.timeDeltas;
  let window = [-Infinity, Infinity];
  if (summaryFile) {
    const { date, job } = JSON.parse(fs.readFileSync(summaryFile, 'utf8'));
    // The summary is dated when the job ended.
    const to = Date.parse(date) * 1000 - profile.epochOffsetUs;
    window = [to - job.seconds * 1e6, to];
  }
  let at = profile.startTime;
  profile.samples.forEach((id, index) => {
    at += gaps[index] ?? 0;
    if (at >= window[0] && at <= window[1]) self.set(id, (self.get(id) ?? 0) + (gaps[index] ?? 0));
  });
  const total = [...self.values()].reduce((sum, us) => sum + us, 0);
  const byPackage = new Map();
  const byFunction = new Map();
  for (const [id, us] of self) {
    const frame = byId.get(id).callFrame;
    const pkg = frame.functionName === '(idle)' || frame.functionName === '(program)' || frame.functionName === '(garbage collector)' ? frame.functionName : packageOf(frame.url);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
    const name = `${frame.functionName || '(anonymous)'} ${packageOf(frame.url)}:${frame.lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
  }
  const busy = total - (byPackage.get('(idle)') ?? 0);
  const print = (title, map) => {
    console.log(`\n${title} (ms, % of busy ${Math.round(busy / 1000)} ms)`);
    for (const [name, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, limit)) {
      if (name.startsWith('(idle)')) continue;
      console.log(`${String(Math.round(us / 1000)).padStart(8)} ${((100 * us) / busy).toFixed(1).padStart(5)}%  ${name}`);
    }
  };
  print('by package', byPackage);
  print('by function', byFunction);
}

function record() {
  const inspector = require('node:inspector');
  const session = new inspector.Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 1000 });
  session.post('Profiler.start');
  const startedAtMs = Date.now();
  const dir = process.env.CPU_PROFILE_DIR || '/tmp/fleetjobs-profiles';
  const script = process.argv[1] || 'node';
  const service = (script.match(/services\/([^/]+)\//) ?? [])[1] ?? path.basename(script).replace(/\.js$/, '');
  let written = false;
  const write = () => {
    if (written) return;
    written = true;
    session.post('Profiler.stop', (error, result) => {
      if (!error) {
        fs.mkdirSync(dir, { recursive: true });
        // Dates the profile's own clock by the moment it started.
        const epochOffsetUs = startedAtMs * 1000 - result.profile.startTime;
        fs.writeFileSync(path.join(dir, `${service}-${process.pid}.cpuprofile`), JSON.stringify({ ...result.profile, epochOffsetUs }));
      }
    });
  };
  process.on('exit', write);
  for (const signal of ['SIGTERM', 'SIGINT']) {
    process.prependListener(signal, () => {
      write();
      // With no handler of its own, the process would otherwise no longer end on the signal.
      if (process.listenerCount(signal) === 1) process.exit(128 + (signal === 'SIGTERM' ? 15 : 2));
    });
  }
}

if (require.main === module) summarise(process.argv[2], Number(process.argv[3] ?? 30), process.argv[4]);
else record();
