/**
 * What other apps (the demo, the benchmarks) reuse of the API: the application as `main.ts` builds
 * it, and the key service the `api-key` CLI uses.
 */
export { createApiApplication } from './api-application';
export { ApiKeyService } from './auth/api-key.service';
/** The JSON of one finding as `GET /v1/findings` answers it (the API benchmark's bare baseline serves it too). */
export { presentFinding } from './findings/findings.schemas';
