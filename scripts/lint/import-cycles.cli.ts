import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

import { readCommandLine } from '@app/entrypoint';

/**
 * `npm run lint` step: fails when relative imports (type-only ones included) form a cycle inside
 * a project. Cycles make initialisation order matter and hide a missing seam; ESLint's own rules do
 * not see them.
 */
const ROOT = join(__dirname, '../..');
const SOURCE_DIRECTORIES = ['apps', 'libs', 'migrations', 'scripts'];
const SKIPPED = new Set(['node_modules', 'dist', '.tmp', 'bench-results']);
const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^;]*?\bfrom\s+'([^']+)'/g;

function sourceFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((entry) => {
    if (SKIPPED.has(entry)) return [];
    const path = join(directory, entry);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return entry.endsWith('.ts') && !entry.endsWith('.d.ts') ? [path] : [];
  });
}

function resolveImport(files: ReadonlySet<string>, from: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  const base = normalize(join(dirname(from), specifier));
  for (const candidate of [`${base}.ts`, join(base, 'index.ts')]) {
    if (files.has(candidate)) return candidate;
  }
  return null;
}

/** Strongly connected components of more than one file (Tarjan). */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next);
    next += 1;
    stack.push(node);
    onStack.add(node);
    for (const target of graph.get(node) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(target) ?? 0));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(target) ?? 0));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      for (;;) {
        const member = stack.pop();
        if (member === undefined) break;
        onStack.delete(member);
        component.push(member);
        if (member === node) break;
      }
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

const IMPORT_CYCLES_COMMAND = {
  help: `Usage: node -r @swc-node/register scripts/lint/import-cycles.cli.ts (the last step of npm run lint)

Fails, naming the files, when relative imports (type-only ones included) form a cycle inside a
project (${SOURCE_DIRECTORIES.join(', ')}).

Options:
  -h, --help  this help`,
  options: {},
} as const;

function main(): void {
  const command = readCommandLine(IMPORT_CYCLES_COMMAND);
  if (!command.run) {
    process.exitCode = command.exitCode;
    return;
  }
  const files = new Set(SOURCE_DIRECTORIES.flatMap((directory) => sourceFiles(join(ROOT, directory))));
  const graph = new Map(
    [...files].map((file) => [
      file,
      [...readFileSync(file, 'utf8').matchAll(IMPORT)]
        .map((match) => resolveImport(files, file, match[1] ?? ''))
        .filter((target): target is string => target !== null),
    ]),
  );
  const found = cycles(graph);
  for (const component of found) {
    process.stderr.write(`Import cycle: ${component.map((file) => relative(ROOT, file)).join(' <-> ')}\n`);
  }
  process.exitCode = found.length === 0 ? 0 : 1;
}

main();
