import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** The repository root: entry points run from it so `@swc-node/register` finds tsconfig.json. */
const REPOSITORY_ROOT = join(__dirname, '..', '..', '..');

/** How an entry point ended. */
export interface EntryPointRun {
  /** The exit code; null when it had to be killed (it did not end in time). */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunEntryPointOptions {
  /** The TypeScript file, relative to the repository root (`apps/worker/src/main.ts`). */
  readonly script: string;
  readonly args?: readonly string[];
  /** The whole environment but PATH and HOME, which are passed on. */
  readonly env?: Readonly<Record<string, string>>;
  /** Killed (SIGKILL) after this long; default 60 s. */
  readonly timeoutMs?: number;
}

/**
 * Runs an entry point as `npm run <name>` runs it (`node -r @swc-node/register <script>`), with
 * stdin closed, and collects its output and exit code. For the command-line contract tests: help,
 * usage errors, configuration errors, the migration check.
 */
export function runEntryPoint(options: RunEntryPointOptions): Promise<EntryPointRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['-r', '@swc-node/register', join(REPOSITORY_ROOT, options.script), ...(options.args ?? [])],
      {
        cwd: REPOSITORY_ROOT,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
