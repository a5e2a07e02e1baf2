// End-to-end stories (seeds 000-003): the five services as separate processes on a private NATS and
// Redis and the shared PostgreSQL (own schemas), started once for all e2e files (src/harness).
const path = require('node:path');

module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'e2e',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.e2e.spec.ts'],
  setupFilesAfterEnv: [path.join(__dirname, 'src/harness/jest-setup.ts')],
  globalSetup: path.join(__dirname, 'src/harness/global-setup.ts'),
  globalTeardown: path.join(__dirname, 'src/harness/global-teardown.ts'),
};
