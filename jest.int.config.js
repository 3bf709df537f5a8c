/** One adapter against the real thing: PostgreSQL, the Kafka broker, the hub simulator over HTTPS. */
module.exports = require('./jest.preset')({
  displayName: 'int',
  testMatch: ['<rootDir>/{libs,services}/**/*.int-spec.ts'],
  globalSetup: '<rootDir>/e2e/support/test-infrastructure.setup.ts',
  globalTeardown: '<rootDir>/e2e/support/test-infrastructure.teardown.ts',
  testTimeout: 60_000,
  maxWorkers: 2,
});
