import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { generateFleet } from '@app/oss-emulator';
import {
  fleetAuditConfig,
  runEntryPoint,
  startScanEnvironment,
  withHealthyKeys,
  type ScanEnvironment,
} from '@app/testing';
import { parse } from 'csv-parse/sync';
import { stringify } from 'yaml';

const EVIDENCE = 'apps/api/src/exports/evidence.cli.ts';
const EXPORT = 'apps/api/src/exports/export.cli.ts';

/** `npm run evidence` and `npm run export` as an operator runs them, over a real scan. */
describe('evidence and export commands', () => {
  let environment: ScanEnvironment;
  let directory: string;
  let env: Record<string, string>;
  let publicKeyPath: string;
  const from = new Date(Date.now() - 60_000).toISOString();
  let to: string;

  beforeAll(async () => {
    const fleet = withHealthyKeys(
      generateFleet({
        accounts: 1,
        regions: ['cn-hangzhou'],
        buckets: 12,
        tableBuckets: 1,
        deniedBuckets: 1,
        seed: 4,
      }),
    );
    environment = await startScanEnvironment({ fleet });
    await environment.runScan();
    to = new Date(Date.now() + 1_000).toISOString();
    directory = mkdtempSync(join(tmpdir(), 'seed-evidence-cli-'));
    const keys = generateKeyPairSync('ed25519');
    const signingKeyPath = join(directory, 'signing.pem');
    writeFileSync(signingKeyPath, keys.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    publicKeyPath = join(directory, 'public.pem');
    writeFileSync(publicKeyPath, keys.publicKey.export({ type: 'spki', format: 'pem' }));
    const config = fleetAuditConfig(fleet, {
      emulatorUrl: environment.emulator.url,
      databaseUrl: environment.database.url,
      extra: { evidence: { signingKeyFile: signingKeyPath } },
    });
    const configPath = join(directory, 'audit.config.yaml');
    writeFileSync(configPath, stringify(config.document));
    env = { ...config.env, AUDIT_CONFIG: configPath };
  }, 120_000);

  afterAll(async () => {
    await environment.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('builds a pack, verifies it against the trusted key, and refuses it once a byte is flipped', async () => {
    const out = join(directory, 'pack.zip');
    const built = await runEntryPoint({
      script: EVIDENCE,
      args: ['--from', from, '--to', to, '--out', out],
      env,
    });
    expect([built.code, built.stderr]).toEqual([0, '']);
    expect(built.stdout).toContain(`Evidence pack written to ${out}`);

    const verified = await runEntryPoint({
      script: EVIDENCE,
      args: ['verify', out, '--public-key', publicKeyPath],
    });
    expect([verified.code, verified.stdout.split('\n')[0]]).toEqual([0, `VALID: ${out}`]);

    const bytes = readFileSync(out);
    const at = Math.floor(bytes.length / 2);
    bytes[at] = (bytes[at] ?? 0) ^ 0x04;
    const altered = join(directory, 'altered.zip');
    writeFileSync(altered, bytes);
    const refused = await runEntryPoint({ script: EVIDENCE, args: ['verify', altered] });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`NOT VALID: ${altered}`);
    expect(refused.stderr).toMatch(/^ {2}- /m);
  }, 120_000);

  it('refuses a missing --to with exit 2 naming the option, and writes nothing', async () => {
    const out = join(directory, 'never.zip');
    const run = await runEntryPoint({ script: EVIDENCE, args: ['--from', from, '--out', out], env });
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toMatch(/^--to /);
    expect(existsSync(out)).toBe(false);
  }, 60_000);

  it('exports the open findings as CSV to a file', async () => {
    const out = join(directory, 'findings.csv');
    const run = await runEntryPoint({ script: EXPORT, args: ['--format', 'csv', '--out', out], env });
    expect(run.code).toBe(0);
    const rows = parse<Record<string, string>>(readFileSync(out, 'utf8'), { columns: true });
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.some((row) => row.check_id === 'unverifiable' && row.status === 'warning')).toBe(true);
  }, 60_000);

  it('takes the list filters as comma lists, and minSeverity, as the API does', async () => {
    const run = await runEntryPoint({
      script: EXPORT,
      args: ['--format', 'csv', '--rule', 'non_kms,unverifiable', '--min-severity', 'medium'],
      env,
    });
    expect(run.code).toBe(0);
    const rows = parse<Record<string, string>>(run.stdout, { columns: true });
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((row) => row.check_id))).toEqual(new Set(['non_kms', 'unverifiable']));
    expect(rows.every((row) => ['medium', 'high', 'critical'].includes(row.severity ?? ''))).toBe(true);
  }, 60_000);

  it('refuses a bad filter with exit 2 naming the option', async () => {
    const run = await runEntryPoint({ script: EXPORT, args: ['--format', 'ocsf', '--name-prefix', ''], env });
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe('--name-prefix must not be empty');
  }, 60_000);
});
