// The browser suite (`npm run test:browser`): the dashboard and the API explorer in headless Chromium,
// against the app on the devhost. Kept out of `npm test`, which needs Node alone.
import base from './jest.config.js';

/** @type {import('jest').Config} */
export default {
  ...base,
  roots: ['<rootDir>/test/browser'],
  testMatch: ['**/*.browser.ts'],
  maxWorkers: 1,
};
