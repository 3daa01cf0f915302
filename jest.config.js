// Four tiers, one config: unit specs sit next to the code and touch no I/O; integration specs
// use real Postgres and the emulator over loopback; e2e specs drive the HTTP API with supertest;
// browser specs drive the web console in a real headless Chromium against a real API process.
const fs = require('node:fs');
const path = require('node:path');

const swcConfig = JSON.parse(fs.readFileSync(path.join(__dirname, '.swcrc'), 'utf8'));
delete swcConfig.$schema;
swcConfig.sourceMaps = 'inline';

const moduleNameMapper = {
  '^@app/migrations$': '<rootDir>/migrations',
  '^@app/(.*)$': '<rootDir>/libs/$1/src',
  '^@apps/(.*)$': '<rootDir>/apps/$1/src',
};

const shared = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', { ...swcConfig, swcrc: false }] },
  moduleNameMapper,
  moduleFileExtensions: ['js', 'ts', 'json'],
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/scripts'],
};

module.exports = {
  // Jest leaves a run by letting the event loop drain. On Node 20 that natural exit can spin
  // forever in the runtime's own handle cleanup (seen in CI: the main thread at 100% CPU in
  // node::Environment::CleanupHandles after "Ran all test suites", no handle left to wait on);
  // process.exit, which this makes Jest call once the results are in, skips that cleanup.
  forceExit: true,
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['**/*.spec.ts'] },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['**/*.integration-spec.ts'],
      globalSetup: '<rootDir>/libs/testing/src/jest-global-setup.ts',
      globalTeardown: '<rootDir>/libs/testing/src/jest-global-teardown.ts',
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/libs/testing/src/jest-global-setup.ts',
      globalTeardown: '<rootDir>/libs/testing/src/jest-global-teardown.ts',
    },
    {
      ...shared,
      displayName: 'browser',
      testMatch: ['**/*.browser-spec.ts'],
      globalSetup: '<rootDir>/libs/testing/src/jest-global-setup.ts',
      globalTeardown: '<rootDir>/libs/testing/src/jest-global-teardown.ts',
    },
  ],
};
