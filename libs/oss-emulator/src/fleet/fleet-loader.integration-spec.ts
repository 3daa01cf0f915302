import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { FleetState } from './fleet-state';
import { loadFleetFile, SAMPLE_FLEET_FILE } from './fleet-loader';
import { thrownCode } from '../testing/thrown';

let directory: string;

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'oss-emulator-fleet-'));
});

afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

function write(name: string, content: string): string {
  const path = join(directory, name);
  writeFileSync(path, content);
  return path;
}

describe('loadFleetFile', () => {
  it('loads the sample KMS keys: every key state, the OSS service key, and a key a bucket names but that does not exist', () => {
    const fleet = loadFleetFile(SAMPLE_FLEET_FILE);
    const keys = fleet.accounts.flatMap((account) => account.kmsKeys ?? []);
    const keyIds = new Set(keys.map((key) => key.keyId));
    expect(new Set(keys.map((key) => key.keyState ?? 'Enabled'))).toEqual(
      new Set(['Enabled', 'Disabled', 'PendingDeletion', 'PendingImport']),
    );
    expect(keys.some((key) => key.creator === 'Oss' && key.aliases?.includes('alias/acs/oss') === true)).toBe(
      true,
    );
    expect(keyIds.has('2b7c1d2e-0000-4000-8000-00000000dev3')).toBe(false);
    expect(
      fleet.accounts.some((account) =>
        account.buckets.some(
          (bucket) => bucket.encryption?.kmsMasterKeyId === '2b7c1d2e-0000-4000-8000-00000000dev3',
        ),
      ),
    ).toBe(true);
  });

  it('loads the sample fleet: 2 accounts, 3 regions, 20 buckets of every class, denied ones, table buckets', () => {
    const fleet = loadFleetFile(SAMPLE_FLEET_FILE);
    const buckets = fleet.accounts.flatMap((account) => account.buckets);
    expect(fleet.accounts).toHaveLength(2);
    expect(buckets).toHaveLength(20);
    expect(new Set(buckets.map((bucket) => bucket.region))).toEqual(
      new Set(['cn-hangzhou', 'cn-shanghai', 'cn-beijing']),
    );
    expect(new Set(buckets.map((bucket) => bucket.encryption?.sseAlgorithm ?? 'none'))).toEqual(
      new Set(['KMS', 'AES256', 'SM4', 'none']),
    );
    expect(buckets.some((bucket) => bucket.encryption?.kmsDataEncryption === 'SM4')).toBe(true);
    expect(
      buckets.some(
        (bucket) =>
          bucket.encryption?.sseAlgorithm === 'KMS' && bucket.encryption.kmsMasterKeyId === undefined,
      ),
    ).toBe(true);
    expect(buckets.filter((bucket) => bucket.deny !== undefined)).toHaveLength(2);
    expect(fleet.accounts.flatMap((account) => account.tableBuckets)).toHaveLength(5);
  });

  it('loads the sample tables (AES256, KMS, none), two weaker than their table bucket default', () => {
    const state = new FleetState(loadFleetFile(SAMPLE_FLEET_FILE));
    const catalog = state.tableCatalog;
    const prod = (name: string) => `acs:osstables:${name}:1234567890123456:bucket`;
    const analytics = `${prod('cn-hangzhou')}/analytics`;
    const lakehouse = `${prod('cn-shanghai')}/lakehouse`;
    expect(catalog.tableCount).toBe(10);
    expect(catalog.table(analytics, 'sales', 'orders')?.encryption?.sseAlgorithm).toBe('AES256');
    expect(catalog.table(analytics, 'sales', 'legacy_events')?.encryption).toBeNull();
    expect(state.tableBuckets.get(lakehouse)?.encryption?.sseAlgorithm).toBe('KMS');
    expect(catalog.table(lakehouse, 'ml', 'features')?.encryption?.sseAlgorithm).toBe('KMS');
    expect(catalog.table(lakehouse, 'ml', 'raw_dump')?.encryption?.sseAlgorithm).toBe('AES256');
  });

  it('loads JSON files', () => {
    const path = write(
      'fleet.json',
      JSON.stringify({ accounts: [{ id: '1', accessKeys: [{ accessKeyId: 'a', accessKeySecret: 's' }] }] }),
    );
    expect(loadFleetFile(path).accounts[0]?.id).toBe('1');
  });

  it('names the file and the field of an invalid fleet', () => {
    const path = write('bad.yaml', 'accounts:\n  - id: abc\n    accessKeys: []\n');
    expect(() => loadFleetFile(path)).toThrow(`Invalid fleet in ${path}: accounts.0.id: must be digits`);
  });

  it('names the file of a YAML syntax error', () => {
    const path = write('broken.yaml', 'accounts: [\n');
    expect(thrownCode(() => loadFleetFile(path))).toBe('INVALID_FLEET');
    expect(() => loadFleetFile(path)).toThrow(path);
  });

  it('reports a missing file with its own code', () => {
    expect(thrownCode(() => loadFleetFile(join(directory, 'missing.yaml')))).toBe('FLEET_FILE_UNREADABLE');
  });
});
