import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import { join } from 'node:path';

import { signV4 } from '@app/signing';
import { generateFleet, type GenerateFleetOptions } from '@app/oss-emulator';
import autocannon from 'autocannon';

import { startEmulatorProcess } from './harness/emulator-process';
import {
  serveFromChild,
  startServerProcess,
  usageBetween,
  type ServerProcess,
} from './harness/server-process';

/**
 * GetBucketEncryption requests/s the emulator serves on one core, next to a trivial node:http
 * server answering a constant 200 on the same machine with the same connections.
 *
 * Each server runs alone in a child process (one event loop, one core); autocannon drives it from
 * this process. Requests are V4-signed once up front for distinct buckets (valid 15 minutes) and
 * replayed, virtual-hosted (`Host: {bucket}.oss-{region}.aliyuncs.com`), so the emulator does its
 * full work per request: route, verify the signature, look up the bucket, answer.
 *
 * Requests per second depend on how much of the other core autocannon leaves; the server's own
 * CPU time per request does not, so each server also reports what it answers per second of CPU
 * time: its capacity on one core. The scan benchmark sets this beside what one scanner sends.
 *
 * Run: node -r @swc-node/register apps/bench/src/emulator.bench.ts
 * Writes bench-results/emulator.json.
 */

const FLEET: GenerateFleetOptions = {
  accounts: 3,
  regions: ['cn-hangzhou', 'cn-shanghai', 'cn-beijing'],
  buckets: 3000,
  tableBuckets: 0,
  deniedBuckets: 30,
  seed: 7,
};
const CONNECTIONS = 10;
const WARMUP_SECONDS = 2;
const DURATION_SECONDS = 10;
/** A GetBucketEncryption answer's size, so the baseline moves as many bytes. */
const BASELINE_BODY = Buffer.from(
  '<?xml version="1.0" encoding="UTF-8"?>\n<ServerSideEncryptionRule>\n  <ApplyServerSideEncryptionByDefault>\n    <SSEAlgorithm>KMS</SSEAlgorithm>\n    <KMSMasterKeyID>9468da86-3509-4f8d-a61e-6eab1eac0001</KMSMasterKeyID>\n  </ApplyServerSideEncryptionByDefault>\n</ServerSideEncryptionRule>\n',
);

/** Child side of the baseline: a constant 200 with a GetBucketEncryption-sized body. */
function serveBaseline(): Promise<void> {
  return serveFromChild(async () => {
    let requests = 0;
    const server = createServer((_req, res) => {
      requests += 1;
      res.writeHead(200, { 'Content-Type': 'application/xml', 'Content-Length': BASELINE_BODY.length });
      res.end(BASELINE_BODY);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${port.toString()}`,
      requests: () => requests,
      close: () =>
        new Promise((resolve) => {
          server.closeAllConnections();
          server.close(() => {
            resolve();
          });
        }),
    };
  });
}

function presignedRequests(): autocannon.Request[] {
  const fleet = generateFleet(FLEET);
  const signingTime = new Date();
  return fleet.accounts.flatMap((account) => {
    const credentials = account.accessKeys[0];
    if (credentials === undefined) return [];
    return account.buckets.map((bucket) => {
      const { headers } = signV4({
        request: {
          method: 'GET',
          target: { product: 'oss', bucket: bucket.name },
          query: [['encryption', '']],
          headers: {},
        },
        credentials,
        region: bucket.region,
        product: 'oss',
        signingTime,
      });
      return {
        method: 'GET' as const,
        path: '/?encryption',
        headers: { ...headers, host: `${bucket.name}.oss-${bucket.region}.aliyuncs.com` },
      };
    });
  });
}

interface Measurement {
  readonly requestsPerSecond: number;
  /** Requests answered per second of the server's own CPU time: its capacity on one core. */
  readonly requestsPerCpuSecond: number;
  readonly serverCpuMs: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  readonly total: number;
  readonly status2xx: number;
  readonly status4xx: number;
  readonly status5xx: number;
  readonly errors: number;
}

async function measure(
  server: ServerProcess,
  requests: autocannon.Request[],
  seconds: number,
): Promise<Measurement> {
  const before = await server.usage();
  const result = await autocannon({
    url: server.url,
    connections: CONNECTIONS,
    pipelining: 1,
    duration: seconds,
    requests,
  });
  const usage = usageBetween(before, await server.usage());
  return {
    requestsPerSecond: Math.round(result.requests.average),
    requestsPerCpuSecond: Math.round(usage.requests / (usage.cpuMs / 1000)),
    serverCpuMs: Math.round(usage.cpuMs),
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    total: result.requests.total,
    status2xx: result['2xx'],
    status4xx: result['4xx'],
    status5xx: result['5xx'],
    errors: result.errors,
  };
}

async function benchmark(server: ServerProcess, requests: autocannon.Request[]): Promise<Measurement> {
  try {
    await measure(server, requests, WARMUP_SECONDS);
    return await measure(server, requests, DURATION_SECONDS);
  } finally {
    server.stop();
  }
}

async function main(): Promise<void> {
  const requests = presignedRequests();
  console.log(
    `GetBucketEncryption: ${requests.length} pre-signed requests (V4), ${CONNECTIONS} connections, ` +
      `${DURATION_SECONDS} s after ${WARMUP_SECONDS} s warm-up, each server in its own process`,
  );
  const emulator = await benchmark(await startEmulatorProcess(FLEET), requests);
  const baseline = await benchmark(
    await startServerProcess('baseline', __filename, ['--baseline-child']),
    requests,
  );
  const ratio = emulator.requestsPerSecond / baseline.requestsPerSecond;
  const cpuRatio = emulator.requestsPerCpuSecond / baseline.requestsPerCpuSecond;

  const row = (name: string, m: Measurement) =>
    `${name.padEnd(10)} ${String(m.requestsPerSecond).padStart(8)} req/s  ${String(m.requestsPerCpuSecond).padStart(8)} req per CPU-second  ` +
    `p50 ${m.latencyP50Ms} ms  p99 ${m.latencyP99Ms} ms  ` +
    `(${m.status2xx} 2xx, ${m.status4xx} 4xx, ${m.status5xx} 5xx, ${m.errors} errors)`;
  console.log(row('emulator', emulator));
  console.log(row('baseline', baseline));
  console.log(
    `ratio      ${(ratio * 100).toFixed(1)} % of a constant-200 node:http server's req/s, ` +
      `${(cpuRatio * 100).toFixed(1)} % of its req per CPU-second`,
  );

  const output = join(process.cwd(), 'bench-results');
  mkdirSync(output, { recursive: true });
  const report = {
    benchmark: 'emulator GetBucketEncryption vs constant-200 node:http',
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cpus: cpus().length,
    connections: CONNECTIONS,
    durationSeconds: DURATION_SECONDS,
    warmupSeconds: WARMUP_SECONDS,
    distinctBuckets: requests.length,
    emulator,
    baseline,
    ratio: Number(ratio.toFixed(4)),
    cpuRatio: Number(cpuRatio.toFixed(4)),
  };
  writeFileSync(join(output, 'emulator.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log(`wrote ${join(output, 'emulator.json')}`);
}

if (process.argv.includes('--baseline-child')) {
  void serveBaseline();
} else {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
