import { XMLParser } from 'fast-xml-parser';

import {
  escapeXml,
  isWellFormedXml,
  parseEncryptionRuleXml,
  renderBucketEntry,
  renderEncryptionRule,
  renderErrorXml,
  renderListBuckets,
} from './oss-xml';
import { noSuchBucket } from './service-errors';

const xmlParser = new XMLParser({ parseTagValue: false, processEntities: true, ignoreDeclaration: true });

type XmlDocument = Record<string, Record<string, unknown>>;

const parser = { parse: (xml: string): XmlDocument => xmlParser.parse(xml) as XmlDocument };

describe('escapeXml', () => {
  it('escapes the five markup characters', () => {
    expect(escapeXml(`a&b<c>d"e'f`)).toBe('a&amp;b&lt;c&gt;d&quot;e&apos;f');
  });

  it('returns plain values unchanged', () => {
    expect(escapeXml('cn-hangzhou')).toBe('cn-hangzhou');
  });

  it('replaces characters XML 1.0 cannot carry', () => {
    expect(escapeXml('a\u0001b\tc')).toBe('a\ufffdb\tc');
  });
});

describe('renderEncryptionRule', () => {
  it('renders KMS with key id and SM4 data encryption', () => {
    const xml = renderEncryptionRule({
      sseAlgorithm: 'KMS',
      kmsMasterKeyId: 'key-1',
      kmsDataEncryption: 'SM4',
    });
    expect(parser.parse(xml)).toEqual({
      ServerSideEncryptionRule: {
        ApplyServerSideEncryptionByDefault: {
          SSEAlgorithm: 'KMS',
          KMSMasterKeyID: 'key-1',
          KMSDataEncryption: 'SM4',
        },
      },
    });
  });

  it('renders the default KMS key as an empty KMSMasterKeyID', () => {
    expect(renderEncryptionRule({ sseAlgorithm: 'KMS' })).toContain('<KMSMasterKeyID></KMSMasterKeyID>');
  });

  it('renders AES256 without key elements', () => {
    const xml = renderEncryptionRule({ sseAlgorithm: 'AES256' });
    expect(xml).not.toContain('KMSMasterKeyID');
    expect(parser.parse(xml)).toEqual({
      ServerSideEncryptionRule: { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
    });
  });
});

const ENTRY = renderBucketEntry({
  name: 'b&1',
  creationDate: '2014-05-14T11:18:32.000Z',
  location: 'oss-cn-hangzhou',
  region: 'cn-hangzhou',
  extranetEndpoint: 'oss-cn-hangzhou.aliyuncs.com',
  intranetEndpoint: 'oss-cn-hangzhou-internal.aliyuncs.com',
  storageClass: 'Standard',
  resourceGroupId: 'rg-1',
});

describe('renderListBuckets', () => {
  it('renders every field of a bucket', () => {
    const document = parser.parse(
      renderListBuckets({ ownerId: '1', ownerDisplayName: 'one', entries: [ENTRY] }),
    );
    expect((document.ListAllMyBucketsResult?.Buckets as Record<string, unknown>).Bucket).toEqual({
      CreationDate: '2014-05-14T11:18:32.000Z',
      ExtranetEndpoint: 'oss-cn-hangzhou.aliyuncs.com',
      IntranetEndpoint: 'oss-cn-hangzhou-internal.aliyuncs.com',
      Location: 'oss-cn-hangzhou',
      Name: 'b&1',
      Region: 'cn-hangzhou',
      StorageClass: 'Standard',
      ResourceGroupId: 'rg-1',
    });
    expect(document.ListAllMyBucketsResult?.Owner).toEqual({ ID: '1', DisplayName: 'one' });
  });

  it('omits Prefix, Marker, MaxKeys, IsTruncated and NextMarker when complete', () => {
    const xml = renderListBuckets({ ownerId: '1', ownerDisplayName: '1', entries: [ENTRY] });
    for (const name of ['Prefix', 'Marker', 'MaxKeys', 'IsTruncated', 'NextMarker'])
      expect(xml).not.toContain(`<${name}>`);
  });

  it('adds the truncation elements, escaped, when truncated', () => {
    const xml = renderListBuckets({
      ownerId: '1',
      ownerDisplayName: '1',
      entries: [ENTRY],
      truncation: { prefix: 'b<', marker: '', maxKeys: 1, nextMarker: 'b&1' },
    });
    expect(parser.parse(xml).ListAllMyBucketsResult).toMatchObject({
      Prefix: 'b<',
      Marker: '',
      MaxKeys: '1',
      IsTruncated: 'true',
      NextMarker: 'b&1',
    });
  });

  it('renders an empty bucket list', () => {
    expect(renderListBuckets({ ownerId: '1', ownerDisplayName: '1', entries: [] })).toContain('<Buckets/>');
  });
});

describe('renderErrorXml', () => {
  it('renders code, message, ids, details and EC in order', () => {
    const xml = renderErrorXml(noSuchBucket('test'), 'REQ1', 'test.oss-cn-hangzhou.aliyuncs.com');
    expect(xml.indexOf('<HostId>')).toBeLessThan(xml.indexOf('<BucketName>'));
    expect(xml.indexOf('<BucketName>')).toBeLessThan(xml.indexOf('<EC>'));
    expect(parser.parse(xml).Error).toEqual({
      Code: 'NoSuchBucket',
      Message: 'The specified bucket does not exist.',
      RequestId: 'REQ1',
      HostId: 'test.oss-cn-hangzhou.aliyuncs.com',
      BucketName: 'test',
      EC: '0015-00000101',
      RecommendDoc: 'https://api.aliyun.com/troubleshoot?q=0015-00000101',
    });
  });
});

const rule = (inner: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<ServerSideEncryptionRule><ApplyServerSideEncryptionByDefault>${inner}</ApplyServerSideEncryptionByDefault></ServerSideEncryptionRule>`;

describe('parseEncryptionRuleXml', () => {
  it('reads KMS with a key id and SM4 data encryption', () => {
    expect(
      parseEncryptionRuleXml(
        rule(
          '<SSEAlgorithm>KMS</SSEAlgorithm><KMSMasterKeyID>0123</KMSMasterKeyID><KMSDataEncryption>SM4</KMSDataEncryption>',
        ),
      ),
    ).toEqual({
      ok: true,
      encryption: { sseAlgorithm: 'KMS', kmsMasterKeyId: '0123', kmsDataEncryption: 'SM4' },
    });
  });

  it('keeps a numeric-looking key id as a string', () => {
    expect(
      parseEncryptionRuleXml(rule('<SSEAlgorithm>KMS</SSEAlgorithm><KMSMasterKeyID>00123</KMSMasterKeyID>')),
    ).toEqual({ ok: true, encryption: { sseAlgorithm: 'KMS', kmsMasterKeyId: '00123' } });
  });

  it('reads AES256 and SM4 alone', () => {
    expect(parseEncryptionRuleXml(rule('<SSEAlgorithm>SM4</SSEAlgorithm>'))).toEqual({
      ok: true,
      encryption: { sseAlgorithm: 'SM4' },
    });
  });

  it('refuses an unknown algorithm', () => {
    expect(parseEncryptionRuleXml(rule('<SSEAlgorithm>DES</SSEAlgorithm>'))).toMatchObject({
      ok: false,
      problem: { kind: 'invalid', argument: 'SSEAlgorithm', value: 'DES' },
    });
  });

  it('refuses KMSMasterKeyID without KMS', () => {
    expect(
      parseEncryptionRuleXml(rule('<SSEAlgorithm>AES256</SSEAlgorithm><KMSMasterKeyID>k</KMSMasterKeyID>')),
    ).toMatchObject({ ok: false, problem: { kind: 'invalid', argument: 'KMSMasterKeyID' } });
  });

  it.each([
    ['not XML', 'hello'],
    ['unbalanced', '<ServerSideEncryptionRule><ApplyServerSideEncryptionByDefault>'],
    ['wrong root', '<Rule><SSEAlgorithm>KMS</SSEAlgorithm></Rule>'],
    ['a DOCTYPE', `<!DOCTYPE x [<!ENTITY a "KMS">]>${rule('<SSEAlgorithm>&a;</SSEAlgorithm>')}`],
    ['mismatched tags', rule('<SSEAlgorithm>KMS</Algorithm>')],
  ])('reports %s as malformed', (_label, body) => {
    expect(parseEncryptionRuleXml(body)).toEqual({ ok: false, problem: { kind: 'malformed' } });
  });
});

describe('isWellFormedXml', () => {
  it('accepts a declaration, attributes and self-closing elements', () => {
    expect(isWellFormedXml('<?xml version="1.0"?>\n<a x="1"><b/><c>t</c></a>\n')).toBe(true);
  });

  it('refuses two roots and text outside the root', () => {
    expect(isWellFormedXml('<a/><b/>')).toBe(false);
    expect(isWellFormedXml('<a/>tail')).toBe(false);
  });
});
