import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import { waitUntil } from './wait-until';

/** The repository root: workers run from it so `@swc-node/register` finds tsconfig.json. */
const REPOSITORY_ROOT = join(__dirname, '..', '..', '..');
const WORKER_MAIN = join(REPOSITORY_ROOT, 'apps', 'worker', 'src', 'main.ts');

/** How long a worker may take to compile and reach "consuming scan jobs" on a busy machine. */
const READY_TIMEOUT_MS = 60_000;
/** How long a SIGTERMed worker may drain before it is SIGKILLed. */
const STOP_TIMEOUT_MS = 10_000;

/** One line of the worker's pino log: JSON with at least `level`, `time` (ISO 8601) and `msg`. */
export type WorkerLogLine = Readonly<Record<string, unknown>> & { readonly msg?: string };

/**
 * The text of a log line. nestjs-pino's `Logger` follows Nest's `LoggerService` convention: in
 * `logger.log({ ...fields }, 'text')` the trailing string is the *context*, so such lines carry
 * their text in `context` and have no `msg`; plain `logger.log('text')` lines have `msg`.
 */
export function logMessage(line: WorkerLogLine): string | undefined {
  if (typeof line.msg === 'string') return line.msg;
  return typeof line.context === 'string' ? line.context : undefined;
}

/** A worker replica (`apps/worker/src/main.ts`) running as a real child process. */
export interface WorkerProcess {
  readonly name: string;
  readonly pid: number;
  /** Every log line printed so far, in order. */
  logs(): readonly WorkerLogLine[];
  /** Whether the process still runs. */
  alive(): boolean;
  /** The last 4 KiB it wrote to stderr. */
  stderr(): string;
  /** Waits (bounded) for a log line that satisfies `predicate`, among those printed so far or later. */
  waitForLog(predicate: (line: WorkerLogLine) => boolean, timeoutMs: number): Promise<WorkerLogLine>;
  /** Sends SIGKILL: the replica dies at once, mid-job, as in a crash or an OOM kill. */
  kill(): Promise<void>;
  /** SIGTERM (graceful drain), then SIGKILL if it has not exited in time. Idempotent. */
  stop(): Promise<void>;
}

export interface StartWorkerOptions {
  readonly name: string;
  /** The YAML configuration file (AUDIT_CONFIG). */
  readonly configPath: string;
  /** Environment the configuration refers to (DATABASE_URL, AccessKeys...). */
  readonly env: Readonly<Record<string, string>>;
}

// A test file that dies before its afterAll must not leave replicas polling a dropped database.
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Spawns `node -r @swc-node/register apps/worker/src/main.ts` with `AUDIT_CONFIG` and `env` only
 * (nothing inherited but PATH and HOME), and resolves once it consumes scan jobs. Its stdout is
 * its pino log, kept line by line; stderr is kept for the error message if it fails to start.
 */
export async function startWorkerProcess(options: StartWorkerOptions): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', WORKER_MAIN], {
    cwd: REPOSITORY_ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      ...options.env,
      AUDIT_CONFIG: options.configPath,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`Worker ${options.name} could not be spawned`);
  running.add(child);
  const exited = once(child, 'exit').then(() => {
    running.delete(child);
  });

  const lines: WorkerLogLine[] = [];
  let stderrTail = '';
  createInterface({ input: child.stdout }).on('line', (text) => {
    try {
      lines.push(JSON.parse(text) as WorkerLogLine);
    } catch {
      lines.push({ msg: text });
    }
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString('utf8')).slice(-4096);
  });

  const hasExited = (): boolean => child.exitCode !== null || child.signalCode !== null;
  const signal = async (name: NodeJS.Signals): Promise<void> => {
    if (hasExited()) return;
    child.kill(name);
    await exited;
  };
  const worker: WorkerProcess = {
    name: options.name,
    pid,
    logs: () => lines,
    alive: () => !hasExited(),
    stderr: () => stderrTail,
    waitForLog: (predicate, timeoutMs) =>
      waitUntil(
        () => {
          const line = lines.find(predicate);
          if (line === undefined && hasExited()) {
            throw new Error(`Worker ${options.name} exited: ${stderrTail}`);
          }
          return line;
        },
        { timeoutMs, what: `a log line of worker ${options.name}` },
      ),
    kill: () => signal('SIGKILL'),
    stop: async () => {
      if (hasExited()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
  try {
    await worker.waitForLog((line) => logMessage(line) === 'consuming scan jobs', READY_TIMEOUT_MS);
  } catch (error) {
    await worker.kill();
    throw error;
  }
  return worker;
}
