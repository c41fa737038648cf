/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
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
