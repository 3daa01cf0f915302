import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';

import { readCommandLine } from '@app/entrypoint';
import { transformFile, type Options } from '@swc/core';

import {
  aliasPaths,
  ENTRY_POINTS,
  excludedReason,
  isBuiltin,
  ON_DEMAND_DEV_PACKAGES,
  outputPath,
  OWNED_OUTPUT_TREES,
  packageName,
  requiredSpecifiers,
  resolveRelative,
} from './module-graph';

/**
 * `npm run build`: compiles the production entry points, and every module they load, from
 * TypeScript to CommonJS in `dist/` (mirroring the source tree: `dist/apps/api/src/main.js`), with
 * swc and the options of `.swcrc` that development and tests use (legacy decorators and their
 * metadata, which Nest DI and TypeORM read). The path aliases of tsconfig.json are rewritten to
 * relative paths, so nothing maps them at run time.
 *
 * Only what the entry points load is compiled: the build follows each compiled module's
 * `require()`s. It fails, naming the chain of imports, when a test, a test helper, the emulator,
 * the demo or a benchmark is reached, when a relative import names no file, or when a module needs
 * a package that is not a production dependency.
 */

const ROOT = resolve(__dirname, '..', '..');
const DIST = join(ROOT, 'dist');

interface CompiledModule {
  readonly source: string;
  readonly requires: readonly string[];
}

function swcOptions(): Options {
  const swcrc = JSON.parse(readFileSync(join(ROOT, '.swcrc'), 'utf8')) as Options & { $schema?: string };
  delete swcrc.$schema;
  const tsconfig = JSON.parse(readFileSync(join(ROOT, 'tsconfig.json'), 'utf8')) as unknown;
  return {
    ...swcrc,
    swcrc: false,
    configFile: false,
    // External maps: `node --enable-source-maps` (the image sets it) reports TypeScript lines.
    sourceMaps: true,
    jsc: { ...swcrc.jsc, baseUrl: ROOT, paths: aliasPaths(tsconfig) },
  };
}

async function compile(source: string, options: Options): Promise<CompiledModule> {
  const output = join(DIST, outputPath(ROOT, source));
  const mapName = `${basename(output)}.map`;
  const result = await transformFile(source, {
    ...options,
    filename: source,
    sourceFileName: relative(dirname(output), source),
  });
  mkdirSync(dirname(output), { recursive: true });
  writeFileSync(output, `${result.code}\n//# sourceMappingURL=${mapName}\n`);
  if (result.map !== undefined) writeFileSync(`${output}.map`, result.map);
  return { source, requires: requiredSpecifiers(result.code) };
}

async function build(): Promise<{ modules: number; packages: string[] }> {
  const options = swcOptions();
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  const production = new Set(Object.keys(manifest.dependencies ?? {}));
  for (const tree of OWNED_OUTPUT_TREES) rmSync(join(DIST, tree), { recursive: true, force: true });

  // Who first imported each module, to name the chain when something must not be built.
  const importedBy = new Map<string, string | null>(ENTRY_POINTS.map((entry) => [join(ROOT, entry), null]));
  const chain = (file: string): string => {
    const links: string[] = [];
    for (let at: string | null | undefined = file; at != null; at = importedBy.get(at)) {
      links.unshift(relative(ROOT, at));
    }
    return links.join(' -> ');
  };
  const problems: string[] = [];
  const packages = new Set<string>();
  let pending = [...importedBy.keys()];
  while (pending.length > 0) {
    const compiled = await Promise.all(pending.map((source) => compile(source, options)));
    pending = [];
    for (const { source, requires } of compiled) {
      for (const specifier of requires) {
        if (specifier.startsWith('.')) {
          const target = resolveRelative(source, specifier, existsSync);
          if (target === null) {
            problems.push(`${chain(source)} requires ${specifier}, which names no .ts file`);
          } else if (!importedBy.has(target)) {
            importedBy.set(target, source);
            const reason = excludedReason(relative(ROOT, target));
            if (reason === null) pending.push(target);
            else problems.push(`${chain(target)}: ${reason} must not be part of the production build`);
          }
        } else if (!isBuiltin(specifier)) {
          const name = packageName(specifier);
          packages.add(name);
          if (!production.has(name) && ON_DEMAND_DEV_PACKAGES[name] === undefined) {
            problems.push(`${chain(source)} requires ${name}, which is not in package.json "dependencies"`);
          }
        }
      }
    }
  }
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return { modules: importedBy.size, packages: [...packages].sort() };
}

const BUILD_COMMAND = {
  help: `Usage: npm run build

Compiles the production entry points (api, api-key, worker, scan, migrate) and every module they
load from TypeScript to CommonJS in dist/, with swc; fails, naming the chain of imports, when they
reach a test, a test helper, the emulator, the demo, a benchmark or a dev-only package.

Options:
  -h, --help  this help`,
  options: {},
} as const;

const command = readCommandLine(BUILD_COMMAND);
const started = Date.now();
if (!command.run) process.exitCode = command.exitCode;
else
  build().then(
    ({ modules, packages }) => {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      process.stdout.write(
        `Built ${modules.toString()} modules of ${ENTRY_POINTS.length.toString()} entry points into dist/ in ${seconds} s\n` +
          ENTRY_POINTS.map((entry) => `  node dist/${outputPath(ROOT, join(ROOT, entry))}\n`).join('') +
          `Packages required: ${packages.join(', ')}\n`,
      );
    },
    (error: unknown) => {
      process.stderr.write(`Build failed:\n${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
