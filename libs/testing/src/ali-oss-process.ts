import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

import type { DriverCall, DriverError, DriverReply } from './ali-oss-driver';

/** An ali-oss call that failed, as ali-oss reported it. */
export class AliOssCallError extends Error {
  constructor(readonly details: DriverError) {
    super(`${details.code}: ${details.message}`);
    this.name = 'AliOssCallError';
  }
}

/**
 * The official `ali-oss` client, running in a child process (see ali-oss-driver.ts for why), with
 * the calls the emulator tests make.
 */
export class AliOssProcess {
  private readonly child: ChildProcess;
  private nextId = 0;
  private stderrTail = '';
  private readonly pending = new Map<
    number,
    { resolve: (value: Record<string, unknown>) => void; reject: (error: Error) => void }
  >();

  constructor() {
    this.child = fork(join(__dirname, 'ali-oss-driver.ts'), [], {
      execArgv: ['-r', '@swc-node/register'],
      // ali-oss warns on stderr for every STS client; kept aside, shown only if the driver dies.
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    this.child.stderr?.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-4096);
    });
    this.child.on('message', (reply: DriverReply) => {
      const waiter = this.pending.get(reply.id);
      if (waiter === undefined) return;
      this.pending.delete(reply.id);
      if (reply.ok) waiter.resolve(reply.value);
      else waiter.reject(new AliOssCallError(reply.error));
    });
    this.child.on('exit', () => {
      for (const waiter of this.pending.values()) {
        waiter.reject(new Error(`ali-oss driver exited: ${this.stderrTail}`));
      }
      this.pending.clear();
    });
  }

  /** Calls `method` on `new OSS(options)` in the child. */
  call(
    options: Record<string, unknown>,
    method: DriverCall['method'],
    ...args: unknown[]
  ): Promise<Record<string, unknown>> {
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ id, options, method, args } satisfies DriverCall);
    });
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null) {
        resolve();
        return;
      }
      this.child.once('exit', () => {
        resolve();
      });
      this.child.kill();
    });
  }
}
