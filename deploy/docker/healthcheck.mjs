// Container health probe without curl: node healthcheck.mjs <url> [--ca <pem file>] [--any-status]
// Exits 0 when the URL answers 2xx (or any HTTP status with --any-status), 1 otherwise.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';

const [url, ...flags] = process.argv.slice(2);
const caIndex = flags.indexOf('--ca');
const ca = caIndex >= 0 ? readFileSync(flags[caIndex + 1], 'utf8') : undefined;
const anyStatus = flags.includes('--any-status');
const client = url.startsWith('https:') ? https : http;

const request = client.get(url, { timeout: 4000, ...(ca ? { ca } : {}) }, (response) => {
  response.resume();
  const ok = anyStatus || (response.statusCode >= 200 && response.statusCode < 300);
  process.exit(ok ? 0 : 1);
});
request.on('timeout', () => request.destroy(new Error('timed out')));
request.on('error', (error) => {
  console.error(`${url}: ${error.message}`);
  process.exit(1);
});
