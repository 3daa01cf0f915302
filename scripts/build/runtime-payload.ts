import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the runtime payload is assembled: git- and docker-ignored. */
export const RUNTIME_DIR_NAME = join('.tmp', 'runtime');

/** The files the Dockerfile's prod-deps stage installs from. */
const MANIFESTS = ['package.json', 'package-lock.json', '.npmrc'] as const;

/** What the image's runtime stage holds on top of its base image. */
export interface RuntimePayload {
  /** The assembled directory: `node_modules/` (production dependencies only), `dist/`, `package.json`. */
  readonly dir: string;
  readonly nodeModulesBytes: number;
  readonly distBytes: number;
  /** Whether `npm ci --omit=dev` ran (false: the lock file had not changed since the last assembly). */
  readonly installed: boolean;
}

/**
 * Assembles what the Dockerfile's runtime stage copies, without Docker: `npm ci --omit=dev` from
 * the repository's lock file (as the prod-deps stage runs it) and the compiled `dist/` (run
 * `npm run build` first), in `.tmp/runtime/` under `root`. The install is reused while the lock
 * file and package.json are unchanged.
 */
export function assembleRuntimePayload(root: string): RuntimePayload {
  const dist = join(root, 'dist');
  if (!existsSync(join(dist, 'apps'))) throw new Error('dist/ has no build: run `npm run build` first');
  const dir = join(root, RUNTIME_DIR_NAME);
  mkdirSync(dir, { recursive: true });
  const fingerprint = createHash('sha256');
  for (const file of MANIFESTS) {
    const source = join(root, file);
    if (!existsSync(source)) continue;
    fingerprint.update(file).update(readFileSync(source));
    copyFileSync(source, join(dir, file));
  }
  const stamp = join(dir, 'node_modules', '.seed-lock-fingerprint');
  const expected = fingerprint.digest('hex');
  const installed = !existsSync(stamp) || readFileSync(stamp, 'utf8') !== expected;
  if (installed) {
    rmSync(join(dir, 'node_modules'), { recursive: true, force: true });
    execFileSync('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund'], {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    writeFileSync(stamp, expected);
  }
  rmSync(join(dir, 'dist'), { recursive: true, force: true });
  cpSync(dist, join(dir, 'dist'), { recursive: true });
  return {
    dir,
    nodeModulesBytes: diskUsageBytes(join(dir, 'node_modules')),
    distBytes: diskUsageBytes(join(dir, 'dist')),
    installed,
  };
}

/** Disk usage as `du` counts it (allocated blocks, not file lengths). */
function diskUsageBytes(path: string): number {
  const output = execFileSync('du', ['-sk', path], { encoding: 'utf8' });
  return Number(output.split('\t')[0]) * 1024;
}

/** `12.3 MiB`. */
export function mebibytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** The report line: the payload and its parts, stating that the base image is not counted. */
export function describePayload(payload: RuntimePayload): string {
  return (
    `Image payload (runtime stage on top of the node base image, whose layers are not counted): ` +
    `${mebibytes(payload.nodeModulesBytes + payload.distBytes)} = ` +
    `node_modules ${mebibytes(payload.nodeModulesBytes)} (npm ci --omit=dev) + dist ${mebibytes(payload.distBytes)}`
  );
}
