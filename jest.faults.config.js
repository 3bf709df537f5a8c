/** Fault scenarios: each runs Fleetjobs on infrastructure of its own and breaks processes, the database, the broker or the links between them. */
module.exports = require('./jest.preset')({
  displayName: 'faults',
  testMatch: ['<rootDir>/e2e/faults/**/*.e2e-spec.ts'],
  globalSetup: '<rootDir>/e2e/support/faults.setup.ts',
  globalTeardown: '<rootDir>/e2e/support/test-infrastructure.teardown.ts',
  testTimeout: 240_000,
  maxWorkers: 1,
});
