#!/usr/bin/env bash
# Proves `npm start` serves the API on a fresh data directory, with no other service started for
# it: no Kafka, no PostgreSQL server, no Java. Prints the start-up time and memory.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${QUICK_START_PORT:-3990}
data=$(mktemp -d)
log="$data/npm-start.log"
started=$(date +%s%N)
# Its own process group, so that stopping npm also stops the node process it started.
PORT=$port DATA_DIR="$data/.data" KAFKA_BROKERS= DATABASE_URL= setsid npm start >"$log" 2>&1 &
pid=$!
trap 'kill -TERM -- -$pid 2>/dev/null || true; wait $pid 2>/dev/null || true' EXIT
# The first start makes an administrator token and keeps it in the data directory.
api() { curl -sf -H "Authorization: Bearer $(cat "$data/.data/initial-admin-token" 2>/dev/null)" "http://127.0.0.1:$port$1"; }
for _ in $(seq 1 600); do
  if api /api/device-templates >/dev/null 2>&1; then break; fi
  if ! kill -0 $pid 2>/dev/null; then cat "$log"; echo "npm start exited"; exit 1; fi
  sleep 0.1
done
api /api/device-templates >/dev/null || { cat "$log"; echo "npm start did not serve the API"; exit 1; }
elapsed=$(( ($(date +%s%N) - started) / 1000000 ))
node_pid=$(pgrep -g $pid -f '^node .*dist/services/embedded/src/main.js' | head -1 || true)
rss=$( [ -n "$node_pid" ] && ps -o rss= -p "$node_pid" | awk '{printf "%.0f MiB", $1/1024}' || echo "?")
echo "npm start served the API after ${elapsed} ms (build included); RSS ${rss}"
for _ in $(seq 1 600); do
  count=$(api "/api/devices?limit=1000" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).value.length))' || echo 0)
  [ "$count" -ge 1000 ] && break
  sleep 0.2
done
echo "demo fleet: ${count} devices listed"
[ "$count" -ge 1000 ] || { cat "$log"; exit 1; }
for _ in $(seq 1 600); do
  api /api/jobs | grep -q '"status":"completed"' && break
  sleep 0.2
done
api /api/jobs | grep -q '"status":"completed"' || { cat "$log"; echo "the demo job did not complete"; exit 1; }
grep -q "Sign in .*/#/sign-in?token=fjt_" "$log" || { cat "$log"; echo "npm start did not print the sign-in link"; exit 1; }
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/jobs")" = 401 ] || { echo "the API answered a request without credentials"; exit 1; }
echo "demo job completed; RSS now $( [ -n "$node_pid" ] && ps -o rss= -p "$node_pid" | awk '{printf "%.0f MiB", $1/1024}')"
