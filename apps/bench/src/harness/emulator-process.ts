import { join } from 'node:path';

import type { GenerateFleetOptions } from '@app/oss-emulator';

import { startServerProcess, type ServerProcess } from './server-process';

/** The emulator in a process of its own, with its fault switch. */
export interface EmulatorProcess extends ServerProcess {
  /** A latency fault on every request (0 clears all faults). */
  setLatency(latencyMs: number): Promise<void>;
  /** Requests answered so far, by operation (DescribeKey, ListTables, ...). */
  requestsByOperation(): Promise<Record<string, number>>;
}

export async function startEmulatorProcess(fleet: GenerateFleetOptions): Promise<EmulatorProcess> {
  const server = await startServerProcess('emulator', join(__dirname, 'emulator-child.ts'), [
    JSON.stringify(fleet),
  ]);
  const authorization = `Bearer ${server.details.adminToken ?? ''}`;
  return {
    ...server,
    requestsByOperation: async () => {
      const response = await fetch(`${server.url}/__emulator/counters`, { headers: { authorization } });
      if (!response.ok) throw new Error(`reading the counters failed: HTTP ${response.status.toString()}`);
      return ((await response.json()) as { byOperation: Record<string, number> }).byOperation;
    },
    setLatency: async (latencyMs) => {
      const rules = latencyMs === 0 ? [] : [{ match: {}, fault: { kind: 'latency', fixedMs: latencyMs } }];
      const response = await fetch(`${server.url}/__emulator/faults`, {
        method: 'PUT',
        headers: { authorization, 'content-type': 'application/json' },
        body: JSON.stringify({ rules }),
      });
      if (!response.ok) {
        throw new Error(`setting the latency fault failed: HTTP ${response.status.toString()}`);
      }
    },
  };
}
