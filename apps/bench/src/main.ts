import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';

import { readCommandLine, USAGE_ERROR_EXIT_CODE } from '@app/entrypoint';

/**
 * `npm run bench`: runs every benchmark suite, one after the other in its own process (they load
 * the machine on purpose), then writes bench-results/report.json and report.md side by side.
 * Each suite measures itself against a baseline in the same run and reports the ratio; these
 * machines are shared, so ratios are what compare across runs, never absolute times.
 */
const SUITES = ['emulator', 'client', 'scan', 'persistence', 'memory', 'api', 'console'] as const;
const RESULTS = join(process.cwd(), 'bench-results');

interface SuiteRun {
  readonly suite: string;
  readonly exitCode: number | null;
  readonly result: unknown;
}

function runSuite(suite: string): SuiteRun {
  const file = join('apps', 'bench', 'src', `${suite}.bench.ts`);
  if (!existsSync(file)) return { suite, exitCode: null, result: null };
  console.log(`\n=== bench: ${suite} ===`);
  const run = spawnSync(process.execPath, ['-r', '@swc-node/register', file], { stdio: 'inherit' });
  const output = join(RESULTS, `${suite}.json`);
  const result: unknown = existsSync(output) ? JSON.parse(readFileSync(output, 'utf8')) : null;
  return { suite, exitCode: run.status, result };
}

/** Numbers of a suite's result, flattened to `path: value`, arrays left out (per-pass details). */
function headlineNumbers(value: unknown, path = ''): [string, number | string][] {
  if (typeof value === 'number' || (typeof value === 'string' && path.endsWith('benchmark')))
    return [[path, value]];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    headlineNumbers(inner, path === '' ? key : `${path}.${key}`),
  );
}

const BENCH_COMMAND = {
  help: `Usage: npm run bench -- [suite ...]

Runs the benchmark suites (all, or those named), each in its own process, one after the other, and
writes bench-results/report.json and report.md (plus one JSON per suite). Numbers, never pass/fail:
compare ratios across runs. Suites: ${SUITES.join(', ')}.

Options:
  -h, --help  this help`,
  options: {},
  allowPositionals: true,
} as const;

function main(): number {
  const command = readCommandLine(BENCH_COMMAND);
  if (!command.run) return command.exitCode;
  const only = command.positionals;
  const unknown = only.filter((name) => !(SUITES as readonly string[]).includes(name));
  if (unknown.length > 0) {
    console.error(`Unknown suite: ${unknown.join(', ')}\n\n${BENCH_COMMAND.help}`);
    return USAGE_ERROR_EXIT_CODE;
  }
  mkdirSync(RESULTS, { recursive: true });
  const runs = SUITES.filter((suite) => only.length === 0 || only.includes(suite)).map(runSuite);
  const report = { date: new Date().toISOString(), node: process.version, cpus: cpus().length, runs };
  writeFileSync(join(RESULTS, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  const lines = [`# Benchmarks (${report.date}, Node ${report.node}, ${report.cpus.toString()} cores)`, ''];
  for (const run of runs) {
    lines.push(
      `## ${run.suite}${run.exitCode === null ? ' (no suite)' : run.exitCode === 0 ? '' : ` (exit ${String(run.exitCode)})`}`,
      '',
    );
    lines.push('| measure | value |', '| --- | --- |');
    for (const [key, value] of headlineNumbers(run.result)) lines.push(`| ${key} | ${String(value)} |`);
    lines.push('');
  }
  writeFileSync(join(RESULTS, 'report.md'), lines.join('\n'));
  console.log(`\nreport: ${join(RESULTS, 'report.md')}`);
  return runs.every((run) => run.exitCode === null || run.exitCode === 0) ? 0 : 1;
}

process.exit(main());
