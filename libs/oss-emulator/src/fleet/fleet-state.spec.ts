import { FleetState, isDenied } from './fleet-state';
import type { FleetSpec } from './fleet.types';
import { thrownCode } from '../testing/thrown';

const FLEET: FleetSpec = {
  accounts: [
    {
      id: '100',
      accessKeys: [{ accessKeyId: 'ak-100', accessKeySecret: 'secret-100' }],
      stsCredentials: [
        {
          accessKeyId: 'sts-100',
          accessKeySecret: 's',
          securityToken: 't',
          expiresAt: '2030-01-01T00:00:00Z',
        },
      ],
      buckets: [
        { name: 'bravo', region: 'cn-hangzhou', encryption: { sseAlgorithm: 'AES256' } },
        { name: 'alpha', region: 'cn-shanghai' },
        { name: 'charlie', region: 'cn-beijing', encryption: null },
        { name: 'alpine', region: 'cn-hangzhou' },
      ],
      tableBuckets: [
        { name: 'tb-b', region: 'cn-hangzhou', encryption: { sseAlgorithm: 'AES256' } },
        { name: 'tb-a', region: 'cn-hangzhou' },
        { name: 'tb-c', region: 'cn-beijing' },
      ],
    },
    {
      id: '200',
      accessKeys: [{ accessKeyId: 'ak-200', accessKeySecret: 'secret-200' }],
      buckets: [{ name: 'delta', region: 'cn-hangzhou' }],
      tableBuckets: [],
    },
  ],
};

describe('FleetState', () => {
  it('resolves AccessKeys and STS keys to their account', () => {
    const state = new FleetState(FLEET);
    expect(state.accessKey('ak-200')).toMatchObject({ accountId: '200', accessKeySecret: 'secret-200' });
    expect(state.accessKey('sts-100')).toEqual({
      accountId: '100',
      accessKeyId: 'sts-100',
      accessKeySecret: 's',
      securityToken: 't',
      securityTokenExpiresAt: new Date('2030-01-01T00:00:00Z'),
    });
    expect(state.accessKey('nope')).toBeUndefined();
  });

  it("lists an account's buckets of all regions by name", () => {
    const page = new FleetState(FLEET).listBuckets('100', { prefix: '', marker: '', maxKeys: 100 });
    expect(page.items.map((bucket) => bucket.name)).toEqual(['alpha', 'alpine', 'bravo', 'charlie']);
    expect(page.truncated).toBe(false);
  });

  it('pages with max-keys and resumes after the marker', () => {
    const state = new FleetState(FLEET);
    const first = state.listBuckets('100', { prefix: '', marker: '', maxKeys: 3 });
    expect(first.items.map((bucket) => bucket.name)).toEqual(['alpha', 'alpine', 'bravo']);
    expect(first.truncated).toBe(true);
    const second = state.listBuckets('100', { prefix: '', marker: 'bravo', maxKeys: 3 });
    expect(second.items.map((bucket) => bucket.name)).toEqual(['charlie']);
    expect(second.truncated).toBe(false);
  });

  it('filters by prefix and is not truncated when the prefix range ends', () => {
    const page = new FleetState(FLEET).listBuckets('100', { prefix: 'alp', marker: '', maxKeys: 2 });
    expect(page.items.map((bucket) => bucket.name)).toEqual(['alpha', 'alpine']);
    expect(page.truncated).toBe(false);
  });

  it('lists table buckets of one region only, after a name', () => {
    const state = new FleetState(FLEET);
    expect(
      state.listTableBuckets('100', 'cn-hangzhou', { prefix: '', after: undefined, maxBuckets: 1 }),
    ).toMatchObject({ truncated: true, items: [{ name: 'tb-a' }] });
    expect(
      state.listTableBuckets('100', 'cn-hangzhou', { prefix: '', after: 'tb-a', maxBuckets: 1 }),
    ).toMatchObject({
      truncated: false,
      items: [{ name: 'tb-b', arn: 'acs:osstables:cn-hangzhou:100:bucket/tb-b' }],
    });
  });

  it('re-renders the encryption body when the rule changes', () => {
    const state = new FleetState(FLEET);
    expect(state.buckets.get('alpha')?.encryptionXml).toBeUndefined();
    state.setBucketEncryption('alpha', { sseAlgorithm: 'SM4' });
    expect(state.buckets.get('alpha')?.encryptionXml?.toString()).toContain(
      '<SSEAlgorithm>SM4</SSEAlgorithm>',
    );
    state.setTableBucketEncryption('acs:osstables:cn-hangzhou:100:bucket/tb-b', null);
    expect(
      state.tableBuckets.get('acs:osstables:cn-hangzhou:100:bucket/tb-b')?.encryptionJson.toString(),
    ).toBe('{"encryptionConfiguration":{}}');
  });

  it('adds and removes buckets, keeping listings in order', () => {
    const state = new FleetState(FLEET);
    state.addBucket('100', { name: 'beta', region: 'cn-beijing' });
    state.removeBucket('alpha');
    expect(
      state.listBuckets('100', { prefix: '', marker: '', maxKeys: 10 }).items.map((bucket) => bucket.name),
    ).toEqual(['alpine', 'beta', 'bravo', 'charlie']);
    expect(state.removeBucket('alpha')).toBe(false);
  });

  it('refuses duplicate bucket names across accounts, duplicate keys and unknown accounts', () => {
    const state = new FleetState(FLEET);
    expect(thrownCode(() => state.addBucket('200', { name: 'alpha', region: 'cn-hangzhou' }))).toBe(
      'DUPLICATE_BUCKET',
    );
    expect(thrownCode(() => state.addBucket('999', { name: 'zulu', region: 'cn-hangzhou' }))).toBe(
      'UNKNOWN_ACCOUNT',
    );
    const duplicateKey = {
      accounts: [
        FLEET.accounts[0]!,
        { ...FLEET.accounts[1]!, accessKeys: [{ accessKeyId: 'ak-100', accessKeySecret: 'x' }] },
      ],
    };
    expect(thrownCode(() => new FleetState(duplicateKey))).toBe('INVALID_FLEET');
  });

  it('refuses invalid bucket and table bucket names', () => {
    const state = new FleetState(FLEET);
    expect(thrownCode(() => state.addBucket('100', { name: 'Bad_Name', region: 'cn-hangzhou' }))).toBe(
      'INVALID_FLEET',
    );
    expect(
      thrownCode(() => state.addTableBucket('100', { name: 'oss-reserved', region: 'cn-hangzhou' })),
    ).toBe('INVALID_FLEET');
  });

  it('gives the current state back as a spec that rebuilds the same state', () => {
    const state = new FleetState(FLEET);
    state.setBucketEncryption('charlie', { sseAlgorithm: 'KMS', kmsMasterKeyId: 'k' });
    const rebuilt = new FleetState(state.toSpec());
    expect(rebuilt.toSpec()).toEqual(state.toSpec());
    expect(rebuilt.buckets.get('charlie')?.encryption).toEqual({ sseAlgorithm: 'KMS', kmsMasterKeyId: 'k' });
  });
});

describe('isDenied', () => {
  it('denies everything for "all", listed operations for a list, nothing when absent', () => {
    expect(isDenied('all', 'ListBuckets')).toBe(true);
    expect(isDenied(['GetBucketEncryption'], 'GetBucketEncryption')).toBe(true);
    expect(isDenied(['GetBucketEncryption'], 'PutBucketEncryption')).toBe(false);
    expect(isDenied(undefined, 'GetBucketEncryption')).toBe(false);
  });
});
