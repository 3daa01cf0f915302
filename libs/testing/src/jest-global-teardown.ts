export default async function globalTeardown(): Promise<void> {
  await globalThis.seedPostgresServer?.stop();
  globalThis.seedPostgresServer = undefined;
}
