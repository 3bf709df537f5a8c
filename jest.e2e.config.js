/** The whole system over HTTP, on the distributed topology (real Kafka, PostgreSQL, hub simulator). */
module.exports = require('./jest.preset')({
  displayName: 'e2e',
  testMatch: ['<rootDir>/e2e/**/*.e2e-spec.ts'],
  testTimeout: 180_000,
  maxWorkers: 1,
});
