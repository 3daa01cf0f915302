/**
 * What other apps (the demo, the benchmarks) reuse of the API: the application as `main.ts` builds
 * it, and the key service the `api-key` CLI uses.
 */
export { createApiApplication } from './api-application';
export { ApiKeyService } from './auth/api-key.service';
