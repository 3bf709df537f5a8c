// Preloaded into every service of a distributed bench (BENCH_NODE_OPTIONS="--require <this file>"):
// counts the SQL statements each process sends (pg's Client#query, by statement text) and sums
// their wall time from the call to the result (as `ms SQL <text>`, a proxy for the database's cost
// when the client is not starved of CPU), the hub simulator's HTTPS requests (by method and path, device ids left out), Kafka requests (by API) and new TLS connections, and
// appends the running totals as one JSON line every 250 ms to /tmp/fleetjobs-counts/<pid>.jsonl
// ($COUNT_DIR instead, where the process sees it: the bench's services do not get the bench's
// environment). count-summary.cjs turns them into counts per device operation.
const fs = require('node:fs');
const path = require('node:path');

const counts = new Map();
const add = (key, n = 1) => counts.set(key, (counts.get(key) || 0) + n);
const script = (process.argv[1] || '').split('/').slice(-3).join('/');

let pg = null;
try {
  pg = require(require.resolve('pg', { paths: [process.cwd(), path.join(__dirname, '..', '..')] }));
} catch {
  // a process without PostgreSQL
}
if (pg) {
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (config, ...rest) {
    const text = typeof config === 'string' ? config : config && config.text;
    if (!text) return query.call(this, config, ...rest);
    const key = `SQL ${String(text).replace(/\s+/g, ' ').trim().slice(0, 140)}`;
    add(key);
    const started = process.hrtime.bigint();
    const timed = () => add(`ms ${key}`, Number(process.hrtime.bigint() - started) / 1e6);
    const callback = rest[rest.length - 1];
    if (typeof callback === 'function') {
      rest[rest.length - 1] = function (...results) {
        timed();
        return callback.apply(this, results);
      };
      return query.call(this, config, ...rest);
    }
    const result = query.call(this, config, ...rest);
    if (result && typeof result.then === 'function') result.then(timed, timed);
    return result;
  };
}

if (script.includes('hub-simulator')) {
  const route = (req) =>
    `HTTP ${req.method} ${String(req.url).split('?')[0].replace(/^\/(twins|devices)\/(?!query$)[^/]+/, '/$1/:id').replace(/^\/_simulator.*/, '/_simulator')}`;
  for (const mod of [require('node:https'), require('node:http')]) {
    const emit = mod.Server.prototype.emit;
    mod.Server.prototype.emit = function (event, req, ...rest) {
      if (event === 'request') add(route(req));
      return emit.call(this, event, req, ...rest);
    };
  }
}

let kafkaConnection = null;
try {
  kafkaConnection = require(require.resolve('kafkajs/src/network/connection', { paths: [process.cwd(), path.join(__dirname, '..', '..')] }));
} catch {
  // a process without Kafka
}
if (kafkaConnection) {
  const send = kafkaConnection.prototype.send;
  kafkaConnection.prototype.send = function (protocolRequest) {
    add(`KAFKA ${protocolRequest.request.apiName}`);
    return send.call(this, protocolRequest);
  };
}

const tls = require('node:tls');
const connect = tls.connect;
tls.connect = function (...args) {
  add('TLS connect');
  return connect.apply(this, args);
};

const dir = process.env.COUNT_DIR || '/tmp/fleetjobs-counts';
fs.mkdirSync(dir, { recursive: true });
const file = path.join(dir, `${process.pid}.jsonl`);
const dump = () => {
  try {
    fs.appendFileSync(file, `${JSON.stringify({ t: Date.now(), script, counts: Object.fromEntries(counts) })}\n`);
  } catch {
    // the directory went away: the run is over
  }
};
setInterval(dump, 250).unref();
process.on('exit', dump);
