import { resolve } from 'node:path';

import { readCommandLine } from '@app/entrypoint';

import { assembleRuntimePayload, describePayload } from './runtime-payload';

const SIZE_COMMAND = {
  help: `Usage: npm run build:size

Builds nothing: assembles what the image's runtime stage would hold from the current dist/ and the
lock file's production dependencies, and prints its size (run npm run build first).

Options:
  -h, --help  this help`,
  options: {},
} as const;

/**
 * `npm run build:size`: builds nothing; assembles what the image's runtime stage would hold from the
 * current `dist/` and the lock file's production dependencies, and prints its size.
 */
function main(): number {
  const command = readCommandLine(SIZE_COMMAND);
  if (!command.run) return command.exitCode;
  try {
    const payload = assembleRuntimePayload(resolve(__dirname, '..', '..'));
    console.log(describePayload(payload));
    return 0;
  } catch (error) {
    console.error(`build:size failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

process.exitCode = main();
