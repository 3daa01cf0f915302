import type { QueryParam } from '@app/signing';

import { parseHost } from './endpoints';
import { parseTableBucketArn, routeRequest, type RouteResult } from './request-routing';

function route(
  method: string,
  host: string,
  rawPath: string,
  query: readonly QueryParam[] = [],
  authorization?: string,
): RouteResult {
  return routeRequest({
    method,
    host: parseHost(host),
    rawPath,
    query,
    ...(authorization === undefined ? {} : { authorization }),
  });
}

const ENCRYPTION: QueryParam[] = [['encryption', '']];
const ARN = 'acs:osstables:cn-beijing:1234567890:bucket/demo-bucket';
const ENCODED_ARN = 'acs%3Aosstables%3Acn-beijing%3A1234567890%3Abucket%2Fdemo-bucket';
const TABLES_AUTH =
  'OSS4-HMAC-SHA256 Credential=ak/20250417/cn-beijing/osstables/aliyun_v4_request,Signature=00';

describe('routeRequest: OSS', () => {
  it('serves GetBucketEncryption virtual-hosted', () => {
    expect(route('GET', 'bk1.oss-cn-hangzhou.aliyuncs.com', '/', ENCRYPTION)).toEqual({
      product: 'oss',
      operation: 'GetBucketEncryption',
      bucket: 'bk1',
      hostRegion: 'cn-hangzhou',
    });
  });

  it('serves path-style requests on an IP host (GO2 against 127.0.0.1)', () => {
    expect(route('GET', '127.0.0.1:9000', '/bk1/', ENCRYPTION)).toEqual({
      product: 'oss',
      operation: 'GetBucketEncryption',
      bucket: 'bk1',
    });
  });

  it('reads the ali-oss sldEnable form: bucket in the Host and in the path', () => {
    expect(route('PUT', 'bk1.oss-cn-hangzhou.aliyuncs.com', '/bk1/', ENCRYPTION)).toMatchObject({
      operation: 'PutBucketEncryption',
      bucket: 'bk1',
      hostRegion: 'cn-hangzhou',
    });
  });

  it('reads the ali-oss IP form without sldEnable: bucket only in the Host', () => {
    expect(route('DELETE', 'bk1.oss-cn-hangzhou.aliyuncs.com', '/', ENCRYPTION)).toMatchObject({
      operation: 'DeleteBucketEncryption',
      bucket: 'bk1',
    });
  });

  it('routes ali-oss ListBuckets (Host with an empty bucket label)', () => {
    expect(route('GET', '.oss-cn-hangzhou.aliyuncs.com', '/', [['max-keys', '2']])).toEqual({
      product: 'oss',
      operation: 'ListBuckets',
      hostRegion: 'cn-hangzhou',
    });
  });

  it('routes DELETE on a bucket without sub-resource to DeleteBucket', () => {
    expect(route('DELETE', '127.0.0.1', '/bk1')).toMatchObject({ operation: 'DeleteBucket', bucket: 'bk1' });
  });

  it('refuses object operations and unknown methods with MethodNotAllowed', () => {
    expect(route('GET', 'bk1.oss-cn-hangzhou.aliyuncs.com', '/some/key')).toMatchObject({
      rejection: 'MethodNotAllowed',
    });
    expect(route('POST', 'oss-cn-hangzhou.aliyuncs.com', '/')).toMatchObject({
      rejection: 'MethodNotAllowed',
    });
    expect(route('GET', '127.0.0.1', '/bk1/')).toMatchObject({ rejection: 'MethodNotAllowed' });
  });

  it('rejects invalid bucket names', () => {
    expect(route('GET', '127.0.0.1', '/Bad_Name/', ENCRYPTION)).toEqual({
      product: 'oss',
      rejection: 'InvalidBucketName',
      value: 'Bad_Name',
    });
  });
});

describe('routeRequest: OSS Tables', () => {
  it('routes ListTableBuckets on the regional endpoint', () => {
    expect(route('GET', 'cn-beijing.oss-tables.aliyuncs.com', '/buckets', [['maxBuckets', '1']])).toEqual({
      product: 'osstables',
      operation: 'ListTableBuckets',
      path: 'buckets',
      hostRegion: 'cn-beijing',
    });
  });

  it('decodes the ARN once from the encryption path', () => {
    expect(route('GET', 'cn-beijing.oss-tables.aliyuncs.com', `/buckets/${ENCODED_ARN}/encryption`)).toEqual({
      product: 'osstables',
      operation: 'GetTableBucketEncryption',
      path: `buckets/${ARN}/encryption`,
      arn: { value: ARN, region: 'cn-beijing', accountId: '1234567890', name: 'demo-bucket' },
      hostRegion: 'cn-beijing',
    });
  });

  it('strips the raw ARN prefix of path-style SDK requests (GO2 against an IP)', () => {
    expect(route('PUT', '127.0.0.1:9000', `/${ARN}/buckets/${ENCODED_ARN}/encryption`)).toMatchObject({
      product: 'osstables',
      operation: 'PutTableBucketEncryption',
      path: `buckets/${ARN}/encryption`,
    });
  });

  it('tells Tables from an OSS bucket named "buckets" on an IP host by the V4 scope product', () => {
    expect(route('GET', '127.0.0.1', '/buckets', [], TABLES_AUTH)).toMatchObject({
      operation: 'ListTableBuckets',
    });
    expect(route('DELETE', '127.0.0.1', '/buckets')).toMatchObject({
      product: 'oss',
      operation: 'DeleteBucket',
    });
  });

  it('accepts the virtual-hosted table bucket host when it names the ARN bucket', () => {
    expect(
      route(
        'DELETE',
        'demo-bucket-1234567890.cn-beijing.oss-tables.aliyuncs.com',
        `/buckets/${ENCODED_ARN}/encryption`,
      ),
    ).toMatchObject({ operation: 'DeleteTableBucketEncryption' });
  });

  it('rejects a virtual host naming another table bucket than the path', () => {
    expect(
      route(
        'GET',
        'other-1234567890.cn-beijing.oss-tables.aliyuncs.com',
        `/buckets/${ENCODED_ARN}/encryption`,
      ),
    ).toMatchObject({ rejection: 'HostBucketMismatch' });
  });

  it('routes ListNamespaces and ListTables by their family, the ARN one encoded segment', () => {
    const host = 'cn-beijing.oss-tables.aliyuncs.com';
    expect(route('GET', host, `/namespaces/${ENCODED_ARN}`)).toEqual({
      product: 'osstables',
      operation: 'ListNamespaces',
      path: `namespaces/${ARN}`,
      arn: { value: ARN, region: 'cn-beijing', accountId: '1234567890', name: 'demo-bucket' },
      hostRegion: 'cn-beijing',
    });
    expect(route('GET', host, `/tables/${ENCODED_ARN}`, [['namespace', 'space']])).toMatchObject({
      operation: 'ListTables',
      path: `tables/${ARN}`,
    });
  });

  it('routes GetTableEncryption with the namespace and table decoded (GO2 key shape)', () => {
    expect(
      route(
        'GET',
        'cn-beijing.oss-tables.aliyuncs.com',
        `/tables/${ENCODED_ARN}/space/my%5Ftable/encryption`,
      ),
    ).toEqual({
      product: 'osstables',
      operation: 'GetTableEncryption',
      path: `tables/${ARN}/space/my_table/encryption`,
      arn: { value: ARN, region: 'cn-beijing', accountId: '1234567890', name: 'demo-bucket' },
      namespace: 'space',
      table: 'my_table',
      hostRegion: 'cn-beijing',
    });
  });

  it('routes the path-style form of the catalog calls on an IP host', () => {
    expect(
      route('GET', '127.0.0.1', `/${ARN}/tables/${ENCODED_ARN}/space/table/encryption`, [], TABLES_AUTH),
    ).toMatchObject({ operation: 'GetTableEncryption', path: `tables/${ARN}/space/table/encryption` });
    expect(route('GET', '127.0.0.1', `/namespaces/${ENCODED_ARN}`, [], TABLES_AUTH)).toMatchObject({
      operation: 'ListNamespaces',
    });
  });

  it.each([
    ['a write to the namespace list', 'PUT', `/namespaces/${ENCODED_ARN}`, 'MethodNotAllowed'],
    ['another table sub-resource', 'GET', `/tables/${ENCODED_ARN}/space/table/policy`, 'MethodNotAllowed'],
    ['a table without its namespace', 'GET', `/tables/${ENCODED_ARN}/table/encryption`, 'MethodNotAllowed'],
    ['an empty table name', 'GET', `/tables/${ENCODED_ARN}/space//encryption`, 'InvalidPath'],
    ['a broken escape in a name', 'GET', `/tables/${ENCODED_ARN}/space/t%ZZ/encryption`, 'InvalidPath'],
    ['tables without an ARN', 'GET', '/tables', 'InvalidPath'],
  ])('rejects %s', (_label, method, path, rejection) => {
    expect(route(method, 'cn-beijing.oss-tables.aliyuncs.com', path)).toMatchObject({ rejection });
  });

  it('rejects malformed ARNs and unknown paths', () => {
    expect(
      route('GET', 'cn-beijing.oss-tables.aliyuncs.com', '/buckets/not-an-arn/encryption'),
    ).toMatchObject({
      rejection: 'InvalidTableBucketArn',
      value: 'not-an-arn',
    });
    expect(route('GET', 'cn-beijing.oss-tables.aliyuncs.com', '/namespaces')).toMatchObject({
      rejection: 'InvalidPath',
    });
    expect(
      route('POST', 'cn-beijing.oss-tables.aliyuncs.com', `/buckets/${ENCODED_ARN}/encryption`),
    ).toMatchObject({
      rejection: 'MethodNotAllowed',
    });
  });
});

describe('parseTableBucketArn', () => {
  it('splits a valid ARN', () => {
    expect(parseTableBucketArn(ARN)).toEqual({
      value: ARN,
      region: 'cn-beijing',
      accountId: '1234567890',
      name: 'demo-bucket',
    });
  });

  it.each([
    'acs:osstables:cn-beijing::bucket/demo',
    'acs:oss:cn-beijing:1234567890:bucket/demo',
    'acs:osstables:cn-beijing:1234567890:bucket/demo/table/1',
    'acs:osstables:cn-beijing:1234567890:bucket/oss-reserved',
    'acs:osstables:cn-beijing:12ab:bucket/demo',
  ])('rejects %s', (value) => {
    expect(parseTableBucketArn(value)).toBeUndefined();
  });
});
