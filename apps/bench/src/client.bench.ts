import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import OSS from 'ali-oss';

import { createAccountClients, createOssDispatcher, StaticCredentialSource } from '@app/cloud-client';
import { generateFleet, type GenerateFleetOptions } from '@app/oss-emulator';

import { startEmulatorProcess } from './harness/emulator-process';
import { forEachConcurrently } from './harness/for-each-concurrently';

/**
 * Our OSS client against the official `ali-oss` on the same job: list every bucket of an account
 * (10,000 buckets, pages of 1,000) and read GetBucketEncryption for each, 64 requests in flight,
 * both signing with V4, against the emulator running alone in a child process (its own event
 * loop, so the two clients in this process compete only with each other's cost).
 *
 * - ours: default virtual-hosted addressing behind the endpoint override (Host
 *   `{bucket}.oss-{region}.aliyuncs.com`), its rate limiter opened wide (64 in flight, no rate
 *   cap) so the comparison measures the client, retries on but never needed;
 * - ali-oss 6.23: `authorizationV4: true`, `sldEnable: true` (path-style, docs/wire/oss.md §4.1), one
 *   client per region, its default keep-alive agent and no retries.
 *
 * - the transport floor beside them: the encryption reads as unsigned GETs through a dispatcher like
 *   ours, bodies dropped (see `transportFloor`), so each client's reads read as a multiple of what
 *   undici, the sockets and the kernel cost on this machine now.
 *
 * One untimed full pass each (warm-up), then ROUNDS rounds alternating which client goes first;
 * the median round of each is reported, wall time and this process's CPU time (the clients' own
 * cost; wall time also depends on what else the machine runs). Both must classify every bucket
 * the same way (rule / no rule / denied) or the run fails.
 *
 * Run: node -r @swc-node/register apps/bench/src/client.bench.ts
 * Writes bench-results/client.json.
 */

const FLEET: GenerateFleetOptions = {
  accounts: 1,
  regions: ['cn-hangzhou', 'cn-shanghai'],
  buckets: 10_000,
  tableBuckets: 0,
  deniedBuckets: 100,
  seed: 11,
};
const CONCURRENCY = 64;
const PAGE_SIZE = 1000;
const ROUNDS = 5;
/** The whole run stops (and fails) beyond this. */
const RUN_DEADLINE_MS = 10 * 60_000;

type Classification = 'rule' | 'no_rule' | 'denied' | 'other';

interface ListedBucket {
  readonly name: string;
  readonly region: string;
}

interface PassResult {
  readonly listMs: number;
  readonly encryptionMs: number;
  readonly totalMs: number;
  /** CPU time of this process (user + system) during the pass. */
  readonly cpuMs: number;
  /** The same during the encryption reads alone. */
  readonly encryptionCpuMs: number;
  readonly buckets: number;
  readonly counts: Record<Classification, number>;
}

interface BenchClient {
  readonly name: 'ours' | 'ali-oss' | 'transport floor';
  list(): Promise<ListedBucket[]>;
  classify(bucket: ListedBucket): Promise<Classification>;
  close(): Promise<void>;
}

/** The subset of ali-oss 6.23 used here (its @types package lacks these shapes). */
interface AliOssClient {
  listBuckets(
    query: Record<string, string | number>,
    options?: Record<string, unknown>,
  ): Promise<{
    buckets: { name: string; region: string }[] | null;
    nextMarker: string | null;
    isTruncated: boolean;
  }>;
  getBucketEncryption(name: string): Promise<{ encryption: Record<string, string> }>;
}

function ourClient(url: string, credentials: { accessKeyId: string; accessKeySecret: string }): BenchClient {
  const dispatcher = createOssDispatcher({ connectionsPerOrigin: CONCURRENCY });
  const clients = createAccountClients({
    credentials: new StaticCredentialSource(credentials),
    dispatcher,
    endpointOverrides: { oss: url },
    listBucketsRegion: 'cn-hangzhou',
    rateLimit: { initialRatePerSecond: 1e9, maxRatePerSecond: 1e9, maxConcurrency: CONCURRENCY },
  });
  return {
    name: 'ours',
    list: async () => {
      const buckets: ListedBucket[] = [];
      for await (const bucket of clients.oss.listBuckets({ pageSize: PAGE_SIZE })) {
        buckets.push({ name: bucket.name, region: bucket.region });
      }
      return buckets;
    },
    classify: async (bucket) => {
      const result = await clients.oss.getBucketEncryption(bucket.name, bucket.region);
      switch (result.outcome) {
        case 'rule':
          return 'rule';
        case 'no_rule':
          return 'no_rule';
        case 'error':
          return result.error.code === 'AccessDenied' ? 'denied' : 'other';
        case 'bucket_missing':
          return 'other';
      }
    },
    close: () => dispatcher.close(),
  };
}

function aliOssClient(
  url: string,
  credentials: { accessKeyId: string; accessKeySecret: string },
): BenchClient {
  const byRegion = new Map<string, AliOssClient>();
  const clientFor = (region: string): AliOssClient => {
    let client = byRegion.get(region);
    if (client === undefined) {
      // `sldEnable` is missing from @types/ali-oss; the object is passed as ali-oss reads it.
      const options = {
        ...credentials,
        region: `oss-${region}`,
        endpoint: url,
        sldEnable: true,
        authorizationV4: true,
      };
      client = new OSS(options) as unknown as AliOssClient;
      byRegion.set(region, client);
    }
    return client;
  };
  return {
    name: 'ali-oss',
    list: async () => {
      const buckets: ListedBucket[] = [];
      let marker: string | null = null;
      do {
        const query: Record<string, string | number> = { 'max-keys': PAGE_SIZE };
        if (marker !== null) query['marker'] = marker;
        const page = await clientFor('cn-hangzhou').listBuckets(query);
        for (const bucket of page.buckets ?? []) {
          buckets.push({ name: bucket.name, region: bucket.region.replace(/^oss-/, '') });
        }
        marker = page.isTruncated ? page.nextMarker : null;
      } while (marker !== null);
      return buckets;
    },
    classify: async (bucket) => {
      try {
        await clientFor(bucket.region).getBucketEncryption(bucket.name);
        return 'rule';
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if (code === 'NoSuchServerSideEncryptionRule') return 'no_rule';
        return code === 'AccessDenied' ? 'denied' : 'other';
      }
    },
    close: () => Promise.resolve(),
  };
}

/**
 * The floor under any client on this machine: one unsigned GET `/?encryption` per bucket (the
 * emulator answers 403 with an XML error of about the same size as a rule) through an undici
 * dispatcher like ours, the body read and dropped: no signing, no parsing, no classification.
 * What is left is the transport (undici, the sockets and the kernel), which both clients pay.
 * It lists nothing (it takes the buckets ours listed).
 */
function transportFloor(url: string, buckets: () => readonly ListedBucket[]): BenchClient {
  const dispatcher = createOssDispatcher({ connectionsPerOrigin: CONCURRENCY });
  return {
    name: 'transport floor',
    list: () => Promise.resolve([...buckets()]),
    classify: async (bucket) => {
      const response = await dispatcher.request({
        origin: url,
        path: '/?encryption',
        method: 'GET',
        headers: { host: `${bucket.name}.oss-${bucket.region}.aliyuncs.com` },
      });
      await response.body.arrayBuffer();
      return response.statusCode === 403 ? 'denied' : 'other';
    },
    close: () => dispatcher.close(),
  };
}

async function runPass(client: BenchClient): Promise<PassResult> {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const buckets = await client.list();
  const listed = performance.now();
  const listCpu = process.cpuUsage();
  const counts: Record<Classification, number> = { rule: 0, no_rule: 0, denied: 0, other: 0 };
  await forEachConcurrently(buckets, CONCURRENCY, async (bucket) => {
    counts[await client.classify(bucket)] += 1;
  });
  const finished = performance.now();
  const cpu = process.cpuUsage(cpuBefore);
  const encryptionCpu = process.cpuUsage(listCpu);
  return {
    listMs: Math.round(listed - started),
    encryptionMs: Math.round(finished - listed),
    totalMs: Math.round(finished - started),
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    encryptionCpuMs: Math.round((encryptionCpu.user + encryptionCpu.system) / 1000),
    buckets: buckets.length,
    counts,
  };
}

function median(passes: readonly PassResult[]): PassResult {
  const sorted = [...passes].sort((a, b) => a.totalMs - b.totalMs);
  const middle = sorted[Math.floor(sorted.length / 2)];
  if (middle === undefined) throw new Error('no passes');
  return middle;
}

async function main(): Promise<void> {
  const deadline = setTimeout(() => {
    console.error(`client bench exceeded ${RUN_DEADLINE_MS / 1000} s; aborting`);
    process.exit(1);
  }, RUN_DEADLINE_MS);
  const account = generateFleet(FLEET).accounts[0];
  const credentials = account?.accessKeys[0];
  if (credentials === undefined) throw new Error('the generated fleet has no access key');
  const emulator = await startEmulatorProcess(FLEET);
  const { url } = emulator;
  let listedByOurs: readonly ListedBucket[] = [];
  const ourBenchClient = ourClient(url, credentials);
  const clients: BenchClient[] = [
    { ...ourBenchClient, list: async () => (listedByOurs = await ourBenchClient.list()) },
    aliOssClient(url, credentials),
    transportFloor(url, () => listedByOurs),
  ];
  const passes = new Map<BenchClient['name'], PassResult[]>(clients.map((client) => [client.name, []]));
  try {
    // Untimed full passes first: JIT, connections and the emulator's per-bucket caches all warm.
    for (const client of clients) await runPass(client);
    for (let round = 0; round < ROUNDS; round += 1) {
      const order = round % 2 === 0 ? clients : [...clients].reverse();
      for (const client of order) {
        const pass = await runPass(client);
        passes.get(client.name)?.push(pass);
        console.log(`round ${round + 1} ${client.name}: ${JSON.stringify(pass)}`);
      }
    }
  } finally {
    await Promise.all(clients.map((client) => client.close()));
    emulator.stop();
    clearTimeout(deadline);
  }

  const ours = median(passes.get('ours') ?? []);
  const aliOss = median(passes.get('ali-oss') ?? []);
  const floor = median(passes.get('transport floor') ?? []);
  const agree = JSON.stringify(ours.counts) === JSON.stringify(aliOss.counts);
  const result = {
    benchmark:
      'client: ListBuckets + GetBucketEncryption for every bucket, ours vs ali-oss, beside the transport floor',
    node: process.version,
    fleet: FLEET,
    concurrency: CONCURRENCY,
    pageSize: PAGE_SIZE,
    rounds: ROUNDS,
    signature: 'V4 (both)',
    ours,
    aliOss,
    ratio: {
      totalAliOssOverOurs: Number((aliOss.totalMs / ours.totalMs).toFixed(2)),
      cpuAliOssOverOurs: Number((aliOss.cpuMs / ours.cpuMs).toFixed(2)),
      encryptionCpuAliOssOverOurs: Number((aliOss.encryptionCpuMs / ours.encryptionCpuMs).toFixed(2)),
      /** Each client's encryption reads over the transport alone, CPU: what the client adds. */
      encryptionCpuOursOverFloor: Number((ours.encryptionCpuMs / floor.encryptionCpuMs).toFixed(2)),
      encryptionCpuAliOssOverFloor: Number((aliOss.encryptionCpuMs / floor.encryptionCpuMs).toFixed(2)),
    },
    transportFloor: floor,
    classificationsAgree: agree,
    passes: Object.fromEntries(passes),
  };
  mkdirSync(join(process.cwd(), 'bench-results'), { recursive: true });
  writeFileSync(join(process.cwd(), 'bench-results', 'client.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(
    `ours ${ours.totalMs} ms (list ${ours.listMs}, encryption ${ours.encryptionMs}, cpu ${ours.cpuMs}) | ` +
      `ali-oss ${aliOss.totalMs} ms (list ${aliOss.listMs}, encryption ${aliOss.encryptionMs}, cpu ${aliOss.cpuMs}) | ` +
      `ali-oss/ours ${result.ratio.totalAliOssOverOurs}x wall, ${result.ratio.cpuAliOssOverOurs}x cpu`,
  );
  const perRead = (pass: PassResult) => ((pass.encryptionCpuMs * 1000) / pass.buckets).toFixed(0);
  console.log(
    `encryption reads, CPU per read: ours ${perRead(ours)} us, ali-oss ${perRead(aliOss)} us, ` +
      `transport floor (unsigned GET, body dropped) ${perRead(floor)} us | ours/floor ` +
      `${result.ratio.encryptionCpuOursOverFloor}x, ali-oss/floor ${result.ratio.encryptionCpuAliOssOverFloor}x, ` +
      `ali-oss/ours ${result.ratio.encryptionCpuAliOssOverOurs}x`,
  );
  if (floor.counts.denied !== floor.buckets) {
    throw new Error(
      `the transport floor expects 403 to every anonymous read: ${JSON.stringify(floor.counts)}`,
    );
  }
  if (!agree)
    throw new Error(
      `the clients classified buckets differently: ${JSON.stringify([ours.counts, aliOss.counts])}`,
    );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
