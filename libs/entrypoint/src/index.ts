/**
 * `@app/entrypoint`: what every command and server entry point shares: a strict command line with
 * `--help`, how a failure is reported (no stack), the log format for a terminal or a collector, and
 * how far a scanning process lets its heap grow.
 */
export {
  parseCommandLine,
  readCommandLine,
  USAGE_ERROR_EXIT_CODE,
  type CommandOptions,
  type CommandOutput,
  type CommandSpec,
  type CommandValues,
  type ParsedCommandLine,
} from './command-line';
export { errorMessage, failureReport } from './startup-failure';
export { logFormat, type LogFormatOptions, type LogOutput } from './log-format';
export { boundHeapGrowth, SCAN_HEAP_GROWING_PERCENT } from './heap-growth';
