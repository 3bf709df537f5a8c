#!/usr/bin/env node
// `npx fleetjobs …`: the command line client, built into dist/ by `npm ci` (prepare) or `node tools/build.mjs`.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const main = join(__dirname, '..', 'dist', 'libs', 'cli', 'src', 'main.js');
if (!existsSync(main)) {
  process.stderr.write('fleetjobs: the CLI is not built yet; run `npm ci` or `node tools/build.mjs` in the repository first\n');
  process.exit(1);
}
require(main);
