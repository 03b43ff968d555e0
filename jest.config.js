/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  // Child-process tests (CLI, bash) run a few seconds each on a 2-core machine.
  testTimeout: 60000,
  // The AWS SDK warns once per process that Node 20 support ends in 2027; tests need not repeat it.
  setupFiles: ['<rootDir>/test/setup-env.js'],
  reporters: ['default', '<rootDir>/test/summary-reporter.js'],
};
