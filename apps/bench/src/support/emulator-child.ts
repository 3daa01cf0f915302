import { generateFleet, startEmulator, type GenerateFleetOptions } from '@app/oss-emulator';

import type { EmulatorChildMessage } from './emulator-process';

/** Child side of emulator-process.ts: serve the fleet given as JSON in argv, answer usage queries. */
async function main(): Promise<void> {
  const fleet = JSON.parse(process.argv[2] ?? '{}') as GenerateFleetOptions;
  const emulator = await startEmulator({ fleet: generateFleet(fleet) });
  const send = (message: EmulatorChildMessage) => process.send?.(message);
  process.on('message', (message: { type?: string }) => {
    if (message.type !== 'usage') return;
    const cpu = process.cpuUsage();
    send({ type: 'usage', cpuMs: (cpu.user + cpu.system) / 1000, requests: emulator.requestCount() });
  });
  process.on('disconnect', () => {
    void emulator.close().then(() => process.exit(0));
  });
  send({ type: 'ready', url: emulator.url, adminToken: emulator.adminToken });
}

void main();
