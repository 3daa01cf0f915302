import { generateFleet, startEmulator, type GenerateFleetOptions } from '@app/oss-emulator';

import { serveFromChild } from './server-process';

/** Child side of emulator-process.ts: serves the fleet given as JSON in argv. */
void serveFromChild(async () => {
  const fleet = JSON.parse(process.argv[2] ?? '{}') as GenerateFleetOptions;
  const emulator = await startEmulator({ fleet: generateFleet(fleet) });
  return {
    url: emulator.url,
    details: { adminToken: emulator.adminToken },
    requests: () => emulator.requestCount(),
    close: () => emulator.close(),
  };
});
