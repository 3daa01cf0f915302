import { resolve } from 'node:path';

import { assembleRuntimePayload, describePayload } from './runtime-payload';

/**
 * `npm run build:size`: builds nothing; assembles what the image's runtime stage would hold from the
 * current `dist/` and the lock file's production dependencies, and prints its size.
 */
try {
  const payload = assembleRuntimePayload(resolve(__dirname, '..', '..'));
  console.log(describePayload(payload));
} catch (error) {
  console.error(`build:size failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
