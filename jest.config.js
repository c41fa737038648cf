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
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  testTimeout: 60000,
  maxWorkers: 2,
};
