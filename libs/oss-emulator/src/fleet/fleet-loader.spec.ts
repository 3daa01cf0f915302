import { parseFleetDocument } from './fleet-loader';

const VALID = {
  accounts: [
    {
      id: '100',
      accessKeys: [{ accessKeyId: 'ak', accessKeySecret: 'sk' }],
      buckets: [
        { name: 'bkt1', region: 'cn-hangzhou', encryption: { sseAlgorithm: 'KMS', kmsMasterKeyId: '0012' } },
      ],
    },
  ],
  faults: [
    { match: { operation: 'GetBucketEncryption' }, fault: { kind: 'error', code: 'ServiceUnavailable' } },
  ],
};

describe('parseFleetDocument', () => {
  it('accepts a valid fleet, defaulting missing bucket lists', () => {
    const fleet = parseFleetDocument(VALID, 'fleet.yaml');
    expect(fleet.accounts[0]?.tableBuckets).toEqual([]);
    expect(fleet.accounts[0]?.buckets[0]?.encryption).toEqual({
      sseAlgorithm: 'KMS',
      kmsMasterKeyId: '0012',
    });
    expect(fleet.faults).toHaveLength(1);
  });

  it('names the file and the field path of a shape error', () => {
    const broken = { accounts: [{ ...VALID.accounts[0], buckets: [{ name: 'bkt1' }] }] };
    expect(() => parseFleetDocument(broken, 'fleet.yaml')).toThrow(
      /Invalid fleet in fleet\.yaml: accounts\.0\.buckets\.0\.region/,
    );
  });

  it('reports misspelt keys instead of ignoring them', () => {
    const misspelt = { accounts: [{ ...VALID.accounts[0], bukets: [] }] };
    expect(() => parseFleetDocument(misspelt, 'f.json')).toThrow(/bukets/);
  });

  it('refuses key ids with a non-KMS algorithm', () => {
    const broken = {
      accounts: [
        {
          ...VALID.accounts[0],
          buckets: [
            {
              name: 'bkt1',
              region: 'cn-hangzhou',
              encryption: { sseAlgorithm: 'AES256', kmsMasterKeyId: 'k' },
            },
          ],
        },
      ],
    };
    expect(() => parseFleetDocument(broken, 'f.json')).toThrow(/accounts\.0\.buckets\.0\.encryption/);
  });

  it('reports consistency errors (duplicate bucket names) with the file name', () => {
    const duplicate = {
      accounts: [
        VALID.accounts[0],
        {
          id: '200',
          accessKeys: [{ accessKeyId: 'ak2', accessKeySecret: 'sk' }],
          buckets: [{ name: 'bkt1', region: 'cn-beijing' }],
        },
      ],
    };
    expect(() => parseFleetDocument(duplicate, 'f.json')).toThrow(
      /Invalid fleet in f\.json: Bucket "bkt1" exists already/,
    );
  });

  it('refuses invalid fault rules', () => {
    const broken = { ...VALID, faults: [{ match: {}, fault: { kind: 'error', code: 'Teapot' } }] };
    expect(() => parseFleetDocument(broken, 'f.json')).toThrow(/faults\.0\.fault/);
  });

  it('accepts a Resource Directory over the fleet and keeps it in the state it builds', () => {
    const fleet = parseFleetDocument(
      {
        ...VALID,
        organization: {
          managementAccountId: '100',
          members: [{ accountId: '100', folderId: 'fd-root', roles: [{ name: 'SeedAuditRole' }] }],
        },
      },
      'fleet.yaml',
    );
    expect(fleet.organization?.members.map((member) => member.accountId)).toEqual(['100']);
  });

  it('refuses a directory whose management account or member is not in the fleet, naming it', () => {
    const outsider = { ...VALID, organization: { managementAccountId: '999', members: [] } };
    expect(() => parseFleetDocument(outsider, 'f.json')).toThrow(
      /Invalid fleet in f\.json: organization\.managementAccountId 999 is not an account of the fleet/,
    );
    const badRole = {
      ...VALID,
      organization: { managementAccountId: '100', members: [{ accountId: '100', roles: [{ name: 'a b' }] }] },
    };
    expect(() => parseFleetDocument(badRole, 'f.json')).toThrow(/organization\.members\.0\.roles\.0\.name/);
  });
});
