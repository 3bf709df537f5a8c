// Lets `node -r <this file>` run the workspace's TypeScript sources directly, transpiled by SWC with
// the path aliases of tsconfig.base.json, so a child process runs exactly the code under test.
const Module = require('node:module');
const { readFileSync } = require('node:fs');
const { join, resolve } = require('node:path');
const { transformSync } = require('@swc/core');
const swcOptions = require('../swc-options.cjs');

const root = resolve(__dirname, '../..');
const { compilerOptions } = JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8'));

Module._extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(readFileSync(filename, 'utf8'), { ...swcOptions({ baseUrl: root, paths: compilerOptions.paths }), filename });
  module._compile(code, filename);
};
