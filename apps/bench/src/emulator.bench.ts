import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus } from 'node:os';
import { join } from 'node:path';

import { signV4 } from '@app/oss-signing';
import { generateFleet, startEmulator, type GenerateFleetOptions } from '@app/oss-emulator';
import autocannon from 'autocannon';

/**
 * GetBucketEncryption requests/s the emulator serves on one core, next to a trivial node:http
 * server answering a constant 200 on the same machine with the same connections.
 *
 * Each server runs alone in a child process (one event loop, one core); autocannon drives it from
 * this process. Requests are V4-signed once up front for distinct buckets (valid 15 minutes) and
 * replayed, virtual-hosted (`Host: {bucket}.oss-{region}.aliyuncs.com`), so the emulator does its
 * full work per request: route, verify the signature, look up the bucket, answer.
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

type ChildRole = 'emulator' | 'baseline';

/** Child side: start the server, report the port, live until the parent disconnects. */
async function runChild(role: ChildRole): Promise<void> {
  let port: number;
  if (role === 'emulator') {
    const emulator = await startEmulator({ fleet: generateFleet(FLEET) });
    port = emulator.port;
  } else {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/xml', 'Content-Length': BASELINE_BODY.length });
      res.end(BASELINE_BODY);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    port = typeof address === 'object' && address !== null ? address.port : 0;
  }
  process.send?.({ port });
  process.on('disconnect', () => process.exit(0));
}

function startChild(role: ChildRole): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(__filename, ['--child', role], { execArgv: ['-r', '@swc-node/register'] });
  return new Promise((resolve, reject) => {
    child.once('message', (message: { port: number }) => {
      resolve({ child, port: message.port });
    });
    child.once('exit', (code) => {
      reject(new Error(`${role} child exited with ${String(code)}`));
    });
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
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  readonly total: number;
  readonly status2xx: number;
  readonly status4xx: number;
  readonly status5xx: number;
  readonly errors: number;
}

async function measure(port: number, requests: autocannon.Request[], seconds: number): Promise<Measurement> {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: CONNECTIONS,
    pipelining: 1,
    duration: seconds,
    requests,
  });
  return {
    requestsPerSecond: Math.round(result.requests.average),
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    total: result.requests.total,
    status2xx: result['2xx'],
    status4xx: result['4xx'],
    status5xx: result['5xx'],
    errors: result.errors,
  };
}

async function benchmark(role: ChildRole, requests: autocannon.Request[]): Promise<Measurement> {
  const { child, port } = await startChild(role);
  try {
    await measure(port, requests, WARMUP_SECONDS);
    return await measure(port, requests, DURATION_SECONDS);
  } finally {
    child.removeAllListeners('exit');
    child.disconnect();
  }
}

async function main(): Promise<void> {
  const requests = presignedRequests();
  console.log(
    `GetBucketEncryption: ${requests.length} pre-signed requests (V4), ${CONNECTIONS} connections, ` +
      `${DURATION_SECONDS} s after ${WARMUP_SECONDS} s warm-up, each server in its own process`,
  );
  const emulator = await benchmark('emulator', requests);
  const baseline = await benchmark('baseline', requests);
  const ratio = emulator.requestsPerSecond / baseline.requestsPerSecond;

  const row = (name: string, m: Measurement) =>
    `${name.padEnd(10)} ${String(m.requestsPerSecond).padStart(8)} req/s  p50 ${m.latencyP50Ms} ms  p99 ${m.latencyP99Ms} ms  ` +
    `(${m.status2xx} 2xx, ${m.status4xx} 4xx, ${m.status5xx} 5xx, ${m.errors} errors)`;
  console.log(row('emulator', emulator));
  console.log(row('baseline', baseline));
  console.log(`ratio      ${(ratio * 100).toFixed(1)} % of a constant-200 node:http server`);

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
  };
  writeFileSync(join(output, 'emulator.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log(`wrote ${join(output, 'emulator.json')}`);
}

const childIndex = process.argv.indexOf('--child');
const childRole = childIndex === -1 ? undefined : process.argv[childIndex + 1];
if (childRole === 'emulator' || childRole === 'baseline') {
  void runChild(childRole);
} else {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
