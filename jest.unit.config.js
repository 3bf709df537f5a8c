/** Pure code: deciders, projections, parsers. No I/O, milliseconds each. */
module.exports = require('./jest.preset')({
  displayName: 'unit',
  testMatch: ['<rootDir>/{libs,services,bench}/**/*.spec.ts'],
});
