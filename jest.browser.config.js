/** The dashboard in Chromium (playwright-core, Debian's chromium) against the running system. */
process.env.E2E_TOPOLOGY ??= 'embedded';
module.exports = require('./jest.preset')({
  displayName: 'browser',
  testMatch: ['<rootDir>/e2e/dashboard/**/*.e2e-spec.ts'],
  globalSetup: '<rootDir>/e2e/support/global-setup.ts',
  globalTeardown: '<rootDir>/e2e/support/global-teardown.ts',
  testTimeout: 120_000,
  maxWorkers: 1,
});
