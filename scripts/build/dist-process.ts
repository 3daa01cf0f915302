import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';

/** How a process ended. */
export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface DistProcessOptions {
  /** For messages: `api`, `worker`, `migrate`... */
  readonly name: string;
  /** The compiled script, relative to `cwd` (`dist/apps/api/src/main.js`). */
  readonly script: string;
  readonly args?: readonly string[];
  readonly cwd: string;
  /** The whole environment: nothing is inherited. */
  readonly env: Readonly<Record<string, string>>;
}

// A smoke that dies half-way must not leave servers polling a database it drops.
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** A compiled entry point running as `node <script>`, its output kept line by line. */
export class DistProcess {
  readonly name: string;
  readonly exited: Promise<Exit>;
  private readonly child: ChildProcess;
  private readonly stdoutLines: string[] = [];
  private readonly stderrLines: string[] = [];

  constructor(options: DistProcessOptions) {
    this.name = options.name;
    this.child = spawn(process.execPath, [options.script, ...(options.args ?? [])], {
      cwd: options.cwd,
      env: { ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(this.child);
    this.exited = once(this.child, 'close').then(([code, signal]) => {
      running.delete(this.child);
      return { code: code as number | null, signal: signal as NodeJS.Signals | null };
    });
    if (this.child.stdout !== null) {
      createInterface({ input: this.child.stdout }).on('line', (line) => this.stdoutLines.push(line));
    }
    if (this.child.stderr !== null) {
      createInterface({ input: this.child.stderr }).on('line', (line) => this.stderrLines.push(line));
    }
  }

  get hasExited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  stdout(): readonly string[] {
    return this.stdoutLines;
  }

  /** The last lines of both streams, for a failure report. */
  tail(lines = 15): string {
    const pick = (all: readonly string[]): string =>
      all
        .slice(-lines)
        .map((line) => (line.length > 400 ? `${line.slice(0, 400)}…` : line))
        .join('\n    ');
    return `  ${this.name} stdout:\n    ${pick(this.stdoutLines)}\n  ${this.name} stderr:\n    ${pick(this.stderrLines)}`;
  }

  /** Waits (bounded) for the process to end by itself; SIGKILLs it and throws when it does not. */
  async finish(timeoutMs: number): Promise<Exit> {
    const exit = await Promise.race([this.exited, delay(timeoutMs, null)]);
    if (exit !== null) return exit;
    this.child.kill('SIGKILL');
    await this.exited;
    throw new Error(`${this.name} did not exit within ${timeoutMs.toString()} ms`);
  }

  /** SIGTERM, then SIGKILL when it has not exited within `timeoutMs` (which throws). */
  async stop(timeoutMs: number): Promise<Exit> {
    if (!this.hasExited) this.child.kill('SIGTERM');
    return this.finish(timeoutMs);
  }

  /** SIGKILL, for cleanup after a failure. */
  async kill(): Promise<void> {
    if (this.hasExited) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }
}
