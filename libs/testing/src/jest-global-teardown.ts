export default async function globalTeardown(): Promise<void> {
  await globalThis.seedEmbeddedPostgres?.stop();
  globalThis.seedEmbeddedPostgres = undefined;
}
