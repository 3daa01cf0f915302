import { generateKeyPairSync } from 'node:crypto';
import { Readable } from 'node:stream';

import { Secret } from '@app/config';
import { generateFleet, type FleetSpec } from '@app/oss-emulator';
import {
  ControlResultRepository,
  DriftQueryRepository,
  ExceptionRepository,
  EvidenceQueryRepository,
  FindingQueryRepository,
} from '@app/persistence';
import { startScanEnvironment, withHealthyKeys, type ScanEnvironment } from '@app/testing';
import { parse } from 'csv-parse/sync';
import { unzipSync } from 'fflate';

import { findingsExport } from './findings-export';
import { periodEvidencePack } from './period-evidence-pack';
import type { PeriodSources } from './sections/period-sections';
import { verifyEvidencePack } from './pack/verify-pack';
import { OcsfSchema } from './testing/ocsf-schema';

const FAST = { rate: { initialRps: 2000, maxRps: 4000, concurrency: 32 }, scan: { auditBatchSize: 50 } };
const CLASS_FILE = 'events/findings/compliance_finding.json';

/** A small fleet with one bucket that denies the auditor (unverifiable) among the generated ones. */
function fleet(): FleetSpec {
  const generated = withHealthyKeys(
    generateFleet({
      accounts: 2,
      regions: ['cn-hangzhou', 'cn-shanghai'],
      buckets: 24,
      tableBuckets: 2,
      seed: 15,
    }),
  );
  const [first, ...others] = generated.accounts;
  if (first === undefined) throw new Error('no account');
  return {
    ...generated,
    accounts: [
      {
        ...first,
        buckets: [
          ...first.buckets,
          { name: 'evidence-denied', region: 'cn-hangzhou', deny: ['GetBucketEncryption'] },
        ],
      },
      ...others,
    ],
  };
}

async function text(lines: AsyncIterable<string>): Promise<string> {
  let all = '';
  for await (const line of lines) all += line;
  return all;
}

async function bytesOf(chunks: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const all: Uint8Array[] = [];
  for await (const chunk of chunks) all.push(chunk);
  return Buffer.concat(all);
}

describe('exports and the evidence pack of a real scan', () => {
  let environment: ScanEnvironment;
  let findings: FindingQueryRepository;
  let sources: PeriodSources;
  let from: Date;
  let to: Date;
  const signingKey = new Secret(
    generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  );

  beforeAll(async () => {
    environment = await startScanEnvironment({ fleet: fleet(), ...FAST });
    from = new Date(Date.now() - 60_000);
    await environment.runScan();
    // Between the scans an owner removes a bucket's encryption: drift and a new finding.
    const target = environment.emulator.state
      .toSpec()
      .accounts.flatMap((account) => account.buckets)
      .find((bucket) => bucket.encryption?.sseAlgorithm === 'AES256');
    if (target === undefined) throw new Error('the fleet has no AES256 bucket');
    environment.emulator.state.setBucketEncryption(target.name, null);
    await environment.runScan();
    to = new Date(Date.now() + 1_000);
    const { dataSource } = environment.database;
    findings = new FindingQueryRepository(dataSource);
    sources = {
      evidence: new EvidenceQueryRepository(dataSource),
      findings,
      drift: new DriftQueryRepository(dataSource),
      controlResults: new ControlResultRepository(dataSource),
      exceptions: new ExceptionRepository(dataSource),
    };
  }, 120_000);

  afterAll(async () => {
    await environment.close();
  });

  it('exports every open finding as an OCSF event valid against the schema files, unverifiable as Warning', async () => {
    const jsonl = await text(findingsExport(findings, { status: 'open' }, 'ocsf'));
    const events = jsonl
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const schema = new OcsfSchema();

    expect(events.length).toBeGreaterThan(0);
    expect(events.flatMap((event) => schema.validateEvent(event, CLASS_FILE))).toEqual([]);
    const denied = events.find(
      (event) => (event.resources as { name: string }[] | undefined)?.[0]?.name === 'evidence-denied',
    );
    expect(denied).toMatchObject({ compliance: { status_id: 2, status: 'Warning' }, status_id: 1 });
  });

  it('exports the same findings as CSV, one row each, readable by an RFC 4180 parser', async () => {
    const open = await text(findingsExport(findings, { status: 'open' }, 'ocsf'));
    const csv = await text(findingsExport(findings, { status: 'open' }, 'csv'));
    const rows = parse<Record<string, string>>(csv, { columns: true });
    expect(rows).toHaveLength(open.split('\n').filter((line) => line !== '').length);
    expect(rows.find((row) => row.resource_name === 'evidence-denied')).toMatchObject({
      check_id: 'unverifiable',
      status: 'warning',
    });
  });

  it('exports findings as of a date: before the first scan there were none', async () => {
    const before = await text(findingsExport(findings, { status: 'open', at: from }, 'ocsf'));
    expect(before).toBe('');
  });

  it('builds a pack from the scans of the period that verifies, with every observation and its request id', async () => {
    const pack = await bytesOf(
      await periodEvidencePack(sources, { period: { from, to }, signingKey, generatedAt: new Date() }),
    );
    const verification = await verifyEvidencePack(Readable.from([pack]) as AsyncIterable<Uint8Array>);
    expect(verification).toMatchObject({ valid: true, problems: [] });

    const files = unzipSync(pack);
    const lines = (name: string) =>
      Buffer.from(files[name] ?? [])
        .toString('utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    const scans = lines('scans.jsonl');
    expect(scans.map((scan) => scan.status)).toEqual(['partial', 'partial']);
    const observations = lines('observations.jsonl');
    expect(observations.length).toBeGreaterThan(2 * 24);
    expect(observations.filter((observation) => observation.requestId === null)).toEqual([]);
    expect(lines('drift.jsonl').some((event) => event.direction === 'weakened')).toBe(true);
    expect(lines('coverage.jsonl').length).toBeGreaterThan(0);
    // Both scans' control results, each with its scan, and a denied bucket a warning, never a pass.
    const controls = lines('control-results.jsonl') as {
      scanId: number;
      result: { status: string; reason: string };
    }[];
    expect(new Set(controls.map((row) => row.scanId)).size).toBe(2);
    expect(new Set(controls.map((row) => row.result.status))).toEqual(new Set(['pass', 'fail', 'warning']));
    expect(files['exceptions.jsonl']).toBeDefined();

    const report = Buffer.from(files['report.html'] ?? []).toString('utf8');
    expect(report).toContain('Posture and findings');
    expect(report).toContain('Control results');
    expect(report).toContain('Accountable exceptions');
    expect(report).toContain('AccessDenied');
    expect(report).toContain('weakened');
  });

  it('limits a pack to the accounts asked for', async () => {
    const account = environment.config.accounts[1]?.alias ?? '';
    const pack = await bytesOf(
      await periodEvidencePack(sources, {
        period: { from, to, accountAliases: [account] },
        signingKey,
        generatedAt: new Date(),
      }),
    );
    const observations = Buffer.from(unzipSync(pack)['observations.jsonl'] ?? [])
      .toString('utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as { resource: { accountAlias: string } });
    expect(observations.length).toBeGreaterThan(0);
    expect(new Set(observations.map((observation) => observation.resource.accountAlias))).toEqual(
      new Set([account]),
    );
  });

  it('detects a flipped byte in a pack built from the scan', async () => {
    const pack = await bytesOf(
      await periodEvidencePack(sources, { period: { from, to }, signingKey, generatedAt: new Date() }),
    );
    const altered = Buffer.from(pack);
    const at = Math.floor(altered.length / 3);
    altered[at] = (altered[at] ?? 0) ^ 0x80;
    const verification = await verifyEvidencePack(Readable.from([altered]) as AsyncIterable<Uint8Array>);
    expect(verification.valid).toBe(false);
    expect(verification.problems.length).toBeGreaterThan(0);
  });

  it('refuses to build a pack without a signing key, naming the configuration keys', async () => {
    await expect(
      periodEvidencePack(sources, { period: { from, to }, signingKey: null, generatedAt: new Date() }),
    ).rejects.toThrow('evidence.signingKeyFile or evidence.signingKeyEnv');
  });
});
