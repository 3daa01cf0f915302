import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

import type { GenerateFleetOptions } from '@app/oss-emulator';

/** What the emulator process has done so far: its CPU time and the requests it answered. */
export interface EmulatorUsage {
  readonly cpuMs: number;
  readonly requests: number;
}

/** The emulator alone in a child process (its own event loop, so it never shares the bench's). */
export interface EmulatorProcess {
  readonly url: string;
  readonly adminToken: string;
  usage(): Promise<EmulatorUsage>;
  /** A latency fault on every request (0 clears all faults). */
  setLatency(latencyMs: number): Promise<void>;
  stop(): void;
}

/** Messages between the bench and emulator-child.ts. */
export type EmulatorChildMessage =
  | { readonly type: 'ready'; readonly url: string; readonly adminToken: string }
  | ({ readonly type: 'usage' } & EmulatorUsage);

export function startEmulatorProcess(fleet: GenerateFleetOptions): Promise<EmulatorProcess> {
  const child: ChildProcess = fork(join(__dirname, 'emulator-child.ts'), [JSON.stringify(fleet)], {
    execArgv: ['-r', '@swc-node/register'],
  });
  // A benchmark without its emulator measures nothing: stop the run, naming why.
  const onExit = (code: number | null) => {
    console.error(`the emulator process exited with ${String(code)} during the benchmark`);
    process.exit(1);
  };
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      reject(new Error(`the emulator process exited with ${String(code)} before it listened`));
    });
    child.once('message', (message: EmulatorChildMessage) => {
      if (message.type !== 'ready') return;
      child.removeAllListeners('exit');
      child.once('exit', onExit);
      const { url, adminToken } = message;
      resolve({
        url,
        adminToken,
        usage: () =>
          new Promise((answer) => {
            child.once('message', (reply: EmulatorChildMessage) => {
              if (reply.type === 'usage') answer({ cpuMs: reply.cpuMs, requests: reply.requests });
            });
            child.send({ type: 'usage' });
          }),
        setLatency: async (latencyMs) => {
          const rules =
            latencyMs === 0 ? [] : [{ match: {}, fault: { kind: 'latency', fixedMs: latencyMs } }];
          const response = await fetch(`${url}/__emulator/faults`, {
            method: 'PUT',
            headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
            body: JSON.stringify({ rules }),
          });
          if (!response.ok) {
            throw new Error(`setting the latency fault failed: HTTP ${response.status.toString()}`);
          }
        },
        stop: () => {
          child.off('exit', onExit);
          child.disconnect();
        },
      });
    });
  });
}

/** `after - before`, for a window of work. */
export function usageBetween(before: EmulatorUsage, after: EmulatorUsage): EmulatorUsage {
  return { cpuMs: after.cpuMs - before.cpuMs, requests: after.requests - before.requests };
}
