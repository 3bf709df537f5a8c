// Shared Jest settings: SWC transpiles TypeScript (with decorator metadata for Nest), and the
// tsconfig path aliases map to source so tests run without a build.
const { compilerOptions } = require('./tsconfig.base.json');
const swcOptions = require('./tools/swc-options.cjs');

const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [`^${alias}$`, `<rootDir>/${target}`]),
);

module.exports = (overrides) => ({
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['@swc/jest', swcOptions({ sourceMaps: true })],
    '/node_modules/@electric-sql/pglite/dist/.+\\.c?js$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  // PGlite's CommonJS build loads its WebAssembly through dynamic import(), which Jest's VM
  // only allows once transpiled; transforming it here avoids --experimental-vm-modules.
  transformIgnorePatterns: ['/node_modules/(?!@electric-sql/pglite/)'],
  moduleNameMapper,
  setupFiles: ['<rootDir>/tools/jest/quiet-logs.js'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/services/dashboard/'],
  ...overrides,
});
