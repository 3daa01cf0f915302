import { parseKmsKeyIdentifier } from '../protocol/kms-key-ids';
import { thrownCode } from '../testing/thrown';
import { KmsKeyStore } from './kms-keys';

const A = '1111111111111111';
const B = '2222222222222222';

function store() {
  const keys = new KmsKeyStore();
  keys.add(A, { keyId: 'key-a-hz', region: 'cn-hangzhou', aliases: ['alias/app'] });
  keys.add(A, { keyId: 'key-a-sh', region: 'cn-shanghai', aliases: ['alias/app'] });
  keys.add(B, { keyId: 'key-b-hz', region: 'cn-hangzhou' });
  return keys;
}

const resolve = (keys: KmsKeyStore, caller: string, region: string | undefined, keyId: string) =>
  keys.resolve(caller, region, parseKmsKeyIdentifier(keyId)!);

describe('KmsKeyStore', () => {
  it('fills service defaults: Enabled, Aliyun_KMS, the owner as creator, its ARN, rotation off', () => {
    expect(store().get('key-a-hz')).toMatchObject({
      keyState: 'Enabled',
      origin: 'Aliyun_KMS',
      creator: A,
      arn: `acs:kms:cn-hangzhou:${A}:key/key-a-hz`,
      automaticRotation: 'Disabled',
      rotationInterval: undefined,
      nextRotationDate: undefined,
      deleteDate: undefined,
    });
  });

  it('schedules the next rotation one interval after the last when rotation is on', () => {
    const keys = new KmsKeyStore();
    const key = keys.add(A, {
      keyId: 'key-rot',
      region: 'cn-hangzhou',
      automaticRotation: 'Enabled',
      lastRotationDate: '2025-01-01T00:00:00Z',
      rotationInterval: '604800s',
    });
    expect(key.nextRotationDate).toBe('2025-01-08T00:00:00Z');
  });

  it.each([
    ['a PendingDeletion key without deleteDate', { keyState: 'PendingDeletion' as const }],
    ['a PendingImport key that is not EXTERNAL', { keyState: 'PendingImport' as const }],
    ['an invalid alias', { aliases: ['app'] }],
  ])('refuses %s', (_name, extra) => {
    expect(
      thrownCode(() => new KmsKeyStore().add(A, { keyId: 'key-x', region: 'cn-hangzhou', ...extra })),
    ).toBe('INVALID_FLEET');
  });

  it('refuses a duplicate key id across accounts and a duplicate alias in one account and region', () => {
    const keys = store();
    expect(thrownCode(() => keys.add(B, { keyId: 'key-a-hz', region: 'cn-beijing' }))).toBe(
      'DUPLICATE_KMS_KEY',
    );
    expect(
      thrownCode(() => keys.add(A, { keyId: 'key-new', region: 'cn-hangzhou', aliases: ['alias/app'] })),
    ).toBe('DUPLICATE_KMS_KEY');
  });

  it("resolves an id only among the caller's keys in the region asked", () => {
    const keys = store();
    expect(resolve(keys, A, 'cn-hangzhou', 'key-a-hz').kind).toBe('key');
    expect(resolve(keys, A, 'cn-shanghai', 'key-a-hz').kind).toBe('key_not_found');
    expect(resolve(keys, A, 'cn-hangzhou', 'key-b-hz').kind).toBe('key_not_found');
    expect(resolve(keys, A, undefined, 'key-a-sh').kind).toBe('key');
  });

  it('resolves an alias per region, and reports an unknown one as alias_not_found', () => {
    const keys = store();
    expect(resolve(keys, A, 'cn-shanghai', 'alias/app')).toMatchObject({
      kind: 'key',
      key: { keyId: 'key-a-sh' },
    });
    expect(resolve(keys, A, 'cn-beijing', 'alias/app').kind).toBe('alias_not_found');
  });

  it("resolves an ARN in its own region, and another account's key ARN as other_account", () => {
    const keys = store();
    expect(resolve(keys, A, 'cn-hangzhou', `acs:kms:cn-hangzhou:${A}:key/key-a-hz`).kind).toBe('key');
    expect(resolve(keys, A, 'cn-shanghai', `acs:kms:cn-hangzhou:${A}:key/key-a-hz`).kind).toBe(
      'key_not_found',
    );
    expect(resolve(keys, A, 'cn-hangzhou', `acs:kms:cn-hangzhou:${B}:key/key-b-hz`).kind).toBe(
      'other_account',
    );
    expect(resolve(keys, A, 'cn-hangzhou', `acs:kms:cn-hangzhou:${B}:key/key-a-hz`).kind).toBe(
      'key_not_found',
    );
  });

  it('applies an admin change: PendingDeletion with a date, back to Enabled clears it; rotation on', () => {
    const keys = store();
    expect(
      keys.update('key-a-hz', { keyState: 'PendingDeletion', deleteDate: '2025-05-01T00:00:00Z' }),
    ).toMatchObject({
      keyState: 'PendingDeletion',
      deleteDate: '2025-05-01T00:00:00Z',
    });
    expect(keys.update('key-a-hz', { keyState: 'Enabled', automaticRotation: 'Enabled' })).toMatchObject({
      keyState: 'Enabled',
      deleteDate: undefined,
      rotationInterval: '31536000s',
    });
    expect(keys.update('key-none', { keyState: 'Disabled' })).toBeUndefined();
    expect(thrownCode(() => keys.update('key-a-sh', { keyState: 'PendingDeletion' }))).toBe('INVALID_FLEET');
  });

  it('gives the keys back as specs an equal store can be built from', () => {
    const keys = store();
    const copy = new KmsKeyStore();
    for (const spec of keys.specsOf(A)) copy.add(A, spec);
    expect(copy.get('key-a-sh')).toEqual(keys.get('key-a-sh'));
  });
});
