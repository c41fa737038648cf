/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // The app's tests, then each workspace's own.
  roots: ['<rootDir>/test', '<rootDir>/devhost/test', '<rootDir>/sandbox/test'],
  testMatch: ['**/*.test.ts'],
  // The workspaces run from their TypeScript sources, as their own tests do, so one copy of each module
  // is loaded whichever way a test reaches it (type checking still reads their built declarations).
  moduleNameMapper: {
    '^@acr-replica-guard/(devhost|sandbox)$': '<rootDir>/$1/index.ts',
    '^@acr-replica-guard/(devhost|sandbox)/testing$': '<rootDir>/$1/testing/index.ts',
  },
  // Drops the warnings @azure/functions prints on every import outside the Functions worker.
  setupFilesAfterEnv: ['<rootDir>/test/support/dropTestModeWarnings.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  // Longer than the tests' own waits (test/support/patience.ts), which then say what they waited for.
  testTimeout: 180000,
  maxWorkers: 2,
  // On a busy machine a worker with nothing left to run can take more than jest's default half second
  // to exit; only one still alive after ten seconds has leaked something.
  workerGracefulExitTimeout: 10000,
};
