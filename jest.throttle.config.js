/**
 * Rate fidelity under the hub-wide limit: each run starts a system of its own and judges the rate
 * the hub saw second by second, so it runs after the other system-level stages, not beside them.
 */
module.exports = require('./jest.preset')({
  displayName: `throttle:${process.env.E2E_TOPOLOGY ?? 'distributed'}`,
  testMatch: ['<rootDir>/e2e/throttle/**/*.e2e-spec.ts'],
  globalSetup: '<rootDir>/e2e/support/own-systems.setup.ts',
  globalTeardown: '<rootDir>/e2e/support/test-infrastructure.teardown.ts',
  testTimeout: 240_000,
  maxWorkers: 1,
});
