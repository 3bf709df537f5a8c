/** The whole system over HTTP, on the distributed topology (real Kafka, PostgreSQL, hub simulator) or embedded. */
module.exports = require('./jest.preset')({
  displayName: `e2e:${process.env.E2E_TOPOLOGY ?? 'distributed'}`,
  testMatch: ['<rootDir>/e2e/scenarios/**/*.e2e-spec.ts'],
  globalSetup: '<rootDir>/e2e/support/global-setup.ts',
  globalTeardown: '<rootDir>/e2e/support/global-teardown.ts',
  testTimeout: 180_000,
  maxWorkers: 1,
});
