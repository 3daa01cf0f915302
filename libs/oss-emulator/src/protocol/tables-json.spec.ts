import {
  decodeContinuationToken,
  encodeContinuationToken,
  parseTableEncryptionBody,
  renderListTableBuckets,
  renderTableBucketEntry,
  renderTableEncryption,
} from './tables-json';

describe('Tables JSON bodies', () => {
  it('renders a table bucket entry with the fixture field set', () => {
    expect(
      JSON.parse(
        renderTableBucketEntry({
          arn: 'acs:osstables:cn-beijing:1234567890:bucket/demo-bucket',
          createdAt: '2026-04-02T05:27:31.000000+00:00',
          name: 'demo-bucket',
          ownerAccountId: '1234567890',
          tableBucketId: '340c6672-0a1f-4426-aff9-1a8e2ac7b0f5',
        }),
      ),
    ).toEqual({
      arn: 'acs:osstables:cn-beijing:1234567890:bucket/demo-bucket',
      createdAt: '2026-04-02T05:27:31.000000+00:00',
      name: 'demo-bucket',
      ownerAccountId: '1234567890',
      tableBucketId: '340c6672-0a1f-4426-aff9-1a8e2ac7b0f5',
      type: 'customer',
    });
  });

  it('includes continuationToken only when more pages follow', () => {
    expect(JSON.parse(renderListTableBuckets(['{"name":"a"}'], undefined))).toEqual({
      tableBuckets: [{ name: 'a' }],
    });
    expect(JSON.parse(renderListTableBuckets([], 'tok'))).toEqual({
      continuationToken: 'tok',
      tableBuckets: [],
    });
  });

  it('renders encryption with an empty kmsKeyArn for AES256, and {} when none', () => {
    expect(renderTableEncryption({ sseAlgorithm: 'AES256' })).toBe(
      '{"encryptionConfiguration":{"kmsKeyArn":"","sseAlgorithm":"AES256"}}',
    );
    expect(renderTableEncryption(null)).toBe('{"encryptionConfiguration":{}}');
  });

  it('round-trips continuation tokens and refuses foreign ones', () => {
    expect(decodeContinuationToken(encodeContinuationToken('tables-07'))).toBe('tables-07');
    expect(decodeContinuationToken('bm90LWEtdG9rZW4')).toBeUndefined();
  });
});

describe('parseTableEncryptionBody', () => {
  it('accepts the GO2 SDK body for AES256', () => {
    expect(
      parseTableEncryptionBody('{"encryptionConfiguration":{"kmsKeyArn":"","sseAlgorithm":"AES256"}}'),
    ).toEqual({
      ok: true,
      encryption: { sseAlgorithm: 'AES256' },
    });
  });

  it('accepts KMS with a key ARN', () => {
    const kmsKeyArn = 'acs:kms:cn-hangzhou:1234567890:key/key-abc';
    expect(
      parseTableEncryptionBody(
        JSON.stringify({ encryptionConfiguration: { sseAlgorithm: 'KMS', kmsKeyArn } }),
      ),
    ).toEqual({ ok: true, encryption: { sseAlgorithm: 'KMS', kmsKeyArn } });
  });

  it.each([
    ['invalid JSON', '{'],
    ['no configuration', '{}'],
    ['an unknown algorithm', '{"encryptionConfiguration":{"sseAlgorithm":"SM4"}}'],
    ['KMS without key', '{"encryptionConfiguration":{"sseAlgorithm":"KMS"}}'],
    [
      'a key with AES256',
      '{"encryptionConfiguration":{"sseAlgorithm":"AES256","kmsKeyArn":"acs:kms:x:1:key/k"}}',
    ],
  ])('refuses %s', (_label, body) => {
    expect(parseTableEncryptionBody(body)).toMatchObject({ ok: false });
  });
});
