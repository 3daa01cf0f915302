import { setFlagsFromString } from 'node:v8';

/**
 * How far a scanning process's heap may grow past what it held after its last full collection
 * before the next one: 50%. V8's own choice, for a program that allocates as fast as a scan does
 * (every batch's responses, observations and SQL live a second or two, long enough to be promoted),
 * is up to 4x: with about 70 MB live, a 100,000-resource scan peaked at 600 MB of RSS where a
 * 1,000-resource one peaked at 240 MB. At 50% the same scan peaks near 330 MB (`npm run
 * bench:memory`), for more frequent, smaller collections of a heap that stays small.
 */
export const SCAN_HEAP_GROWING_PERCENT = 50;

const FLAG = '--heap-growing-percent';

/**
 * Bounds the heap's growth in this process (the worker, the scan command, the demo), unless its
 * command line already sets the flag: an operator's choice wins. Returns the percent in force.
 */
export function boundHeapGrowth(execArgv: readonly string[] = process.execArgv): number | 'command line' {
  if (execArgv.some((argument) => argument === FLAG || argument.startsWith(`${FLAG}=`)))
    return 'command line';
  setFlagsFromString(`${FLAG}=${SCAN_HEAP_GROWING_PERCENT.toString()}`);
  return SCAN_HEAP_GROWING_PERCENT;
}
