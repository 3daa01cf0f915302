import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { parseAuditConfig, type AuditConfig } from '@app/config';
import { startEmulator, type EmulatorHandle, type FleetSpec } from '@app/oss-emulator';
import { ScanRepository, type ScanRecord } from '@app/persistence';
import { ScanRuntime } from '@app/scanner';
import { stringify } from 'yaml';

import { startCountingProxy, type CountingProxy } from './counting-proxy';
import { fleetAuditConfig, type FleetAuditConfigOptions } from './fleet-audit-config';
import { startTcpProxy, type TcpProxy } from './tcp-proxy';
import { createTestDatabase, type TestDatabase } from './test-database';
import { waitUntil } from './wait-until';
import { startWorkerProcess, type WorkerProcess } from './worker-process';

/** A worker replica and the proxy that counts its requests to the emulator. */
export interface ProxiedWorker {
  readonly process: WorkerProcess;
  readonly proxy: CountingProxy;
}

/**
 * A fleet on the emulator, a database of its own, and worker replicas as real processes. This
 * process plays the API: it starts scans and reads the database, and consumes no job itself.
 */
export interface WorkerEnvironment {
  readonly emulator: EmulatorHandle;
  readonly database: TestDatabase;
  /** The configuration every replica loads (but for its endpoint, its own proxy). */
  readonly config: AuditConfig;
  /** With `databaseProxy: true`: what stands between the replicas and PostgreSQL (this process connects directly). */
  readonly databaseProxy: TcpProxy | null;
  /** Starts a replica (its own YAML file, its own counting proxy) and waits until it consumes jobs. */
  startWorker(name: string): Promise<ProxiedWorker>;
  /** Starts a scan as the API does: tasks and jobs are written, the replicas do the work. */
  startScan(): Promise<ScanRecord>;
  /** Asks for the day's retention run, as a replica's hourly tick does; whether this call sent it. */
  requestRetention(): Promise<boolean>;
  /** Waits, at most `timeoutMs`, for the scan to finish, and returns it finished. */
  waitForScan(scanId: number, timeoutMs: number): Promise<ScanRecord>;
  /** Stops every replica (SIGKILL after a short drain), the proxies, the emulator; drops the database. */
  close(): Promise<void>;
}

export type WorkerEnvironmentOptions = Pick<FleetAuditConfigOptions, 'scan' | 'rate' | 'extra'> & {
  readonly fleet: FleetSpec;
  /** Replicas reach PostgreSQL through a TCP proxy the test can cut off (default false). */
  readonly databaseProxy?: boolean;
};

/**
 * Everything the multi-process tests need. Replicas are spawned as `npm run worker` would run
 * them: `node -r @swc-node/register apps/worker/src/main.ts` with AUDIT_CONFIG pointing at a YAML
 * file written from `fleetAuditConfig`, and its environment.
 */
export async function startWorkerEnvironment(options: WorkerEnvironmentOptions): Promise<WorkerEnvironment> {
  const database = await createTestDatabase();
  const emulator = await startEmulator({ fleet: options.fleet });
  const databaseProxy =
    options.databaseProxy === true ? await startTcpProxy(databaseAddress(database.url)) : null;
  const replicaDatabaseUrl = databaseProxy === null ? database.url : databaseProxy.rewrite(database.url);
  const directory = mkdtempSync(join(tmpdir(), 'seed-workers-'));
  const configFor = (emulatorUrl: string, databaseUrl: string) =>
    fleetAuditConfig(options.fleet, { ...options, emulatorUrl, databaseUrl });
  const { document, env } = configFor(emulator.url, database.url);
  const config = parseAuditConfig(document, { env, source: 'worker environment' });
  const runtime = new ScanRuntime({ config, dataSource: database.dataSource });
  const scans = new ScanRepository(database.dataSource);
  const workers: ProxiedWorker[] = [];
  let connected = false;

  return {
    emulator,
    database,
    config,
    databaseProxy,
    startWorker: async (name) => {
      const proxy = await startCountingProxy(emulator.url);
      const replica = configFor(proxy.url, replicaDatabaseUrl);
      const configPath = join(directory, `${name}.yaml`);
      writeFileSync(configPath, stringify(replica.document));
      try {
        const worker = { process: await startWorkerProcess({ name, configPath, env: replica.env }), proxy };
        workers.push(worker);
        return worker;
      } catch (error) {
        await proxy.close();
        throw error;
      }
    },
    startScan: async () => {
      if (!connected) {
        await runtime.connect();
        connected = true;
      }
      return (await runtime.startScan('api')).scan;
    },
    requestRetention: () => runtime.requestRetention(),
    waitForScan: (scanId, timeoutMs) =>
      waitUntil(
        async () => {
          const scan = await scans.findById(scanId);
          return scan?.status === 'running' ? null : scan;
        },
        { timeoutMs, intervalMs: 200, what: `scan ${scanId.toString()} to finish` },
      ),
    close: async () => {
      try {
        await Promise.allSettled(workers.map((worker) => worker.process.stop()));
        await Promise.allSettled(workers.map((worker) => worker.proxy.close()));
        await runtime.close(5_000);
        await databaseProxy?.close();
      } finally {
        await emulator.close();
        await database.drop();
        rmSync(directory, { recursive: true, force: true });
      }
    },
  };
}

function databaseAddress(url: string): { host: string; port: number } {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port || '5432') };
}
