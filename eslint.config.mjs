import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

/** Which kind of project may depend on which (tags in each project.json). */
const depConstraints = [
  { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'] },
  { sourceTag: 'type:core', onlyDependOnLibsWithTags: ['type:contracts', 'type:core'] },
  { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['type:contracts', 'type:core', 'type:infra'] },
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:contracts', 'type:core', 'type:infra', 'type:app'] },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:contracts', 'type:core', 'type:infra', 'type:testing', 'type:app'] },
  // A service never reaches into another service; only composition roots assemble them.
  { sourceTag: 'scope:job-command', onlyDependOnLibsWithTags: ['scope:shared', 'scope:job-command'] },
  { sourceTag: 'scope:device-set', onlyDependOnLibsWithTags: ['scope:shared', 'scope:device-set'] },
  { sourceTag: 'scope:dispatcher', onlyDependOnLibsWithTags: ['scope:shared', 'scope:dispatcher'] },
  { sourceTag: 'scope:projection', onlyDependOnLibsWithTags: ['scope:shared', 'scope:projection'] },
  { sourceTag: 'scope:hub-simulator', onlyDependOnLibsWithTags: ['scope:shared', 'scope:hub-simulator'] },
  { sourceTag: 'scope:dashboard', onlyDependOnLibsWithTags: ['scope:dashboard'] },
  // The command line is a client of the public API: it may use shared contracts, never a service.
  { sourceTag: 'scope:cli', onlyDependOnLibsWithTags: ['scope:shared', 'scope:cli'] },
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
];

/** Pure cores: no framework, no database, no broker. */
const pureCoreRestrictions = {
  patterns: [
    { group: ['@nestjs/*', 'typeorm', 'kafkajs', 'pg', 'azure-iothub', 'node:*'], message: 'Deciders and projections are pure: I/O lives in adapters.' },
  ],
};

export default [
  { ignores: ['**/dist', '**/node_modules', '**/.data', '**/coverage', '**/*.js', '**/*.mjs', 'services/dashboard/**'] },
  ...nx.configs['flat/base'],
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': ['error', { enforceBuildableLibDependency: false, allow: ['@fleetjobs/event-sourcing/testing'], depConstraints }],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
      // A closure may read a variable that is assigned once, later: that is not a constant.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    files: ['**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', 'e2e/**', '**/testing/**', '**/__fixtures__/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: '@fleetjobs/testing', message: 'Test helpers are for tests only.' }] }],
    },
  },
  {
    // Tests may drive any project (a simulator, another service) to prove an adapter end to end.
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', 'e2e/**/*.ts', '**/__fixtures__/**/*.ts', '**/testing/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': ['error', { enforceBuildableLibDependency: false, depConstraints: [{ sourceTag: '*', onlyDependOnLibsWithTags: ['*'] }] }],
    },
  },
  {
    // Jest loads global setup files without the path aliases, so they reach libraries by path.
    files: ['e2e/support/*.setup.ts', 'e2e/support/global-*.ts'],
    rules: { '@nx/enforce-module-boundaries': 'off', '@typescript-eslint/no-require-imports': 'off' },
  },
  { files: ['**/*.decider.ts', '**/*.projection.ts'], rules: { 'no-restricted-imports': ['error', pureCoreRestrictions] } },
  {
    // Every process writes pino JSON lines (http-kit's createLogger, or Nest's Logger): nothing else on its output.
    files: ['services/*/src/**/*.ts', 'libs/*/src/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.int-spec.ts', '**/testing/**', '**/__fixtures__/**', 'libs/testing/**', 'libs/cli/**'],
    rules: { 'no-console': 'error' },
  },
  // CommonJS scripts (preloaded with node --require) load modules the only way CommonJS can.
  { files: ['**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
];
