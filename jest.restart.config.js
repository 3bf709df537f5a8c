/** Crash and restart scenarios: each starts its own system (embedded or distributed) and kills parts of it. */
module.exports = require('./jest.preset')({
  displayName: 'restart',
  testMatch: ['<rootDir>/e2e/restart/**/*.e2e-spec.ts'],
  globalSetup: '<rootDir>/e2e/support/own-systems.setup.ts',
  globalTeardown: '<rootDir>/e2e/support/test-infrastructure.teardown.ts',
  testTimeout: 240_000,
  maxWorkers: 1,
});
