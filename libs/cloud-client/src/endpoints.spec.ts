import {
  endpointConfig,
  kmsTarget,
  ossBucketTarget,
  ossServiceTarget,
  parseEndpointOverride,
  tablesTarget,
} from './endpoints';
import { OssArgumentError } from './errors';

describe('OSS endpoints', () => {
  it('addresses a bucket virtual-hosted over HTTPS by default', () => {
    expect(ossBucketTarget('my-bucket', 'cn-hangzhou', endpointConfig())).toEqual({
      origin: 'https://my-bucket.oss-cn-hangzhou.aliyuncs.com',
      host: 'my-bucket.oss-cn-hangzhou.aliyuncs.com',
      path: '/',
    });
  });

  it('puts the bucket in the path when path-style is chosen', () => {
    expect(
      ossBucketTarget('my-bucket', 'eu-central-1', endpointConfig({ addressing: 'path-style' })),
    ).toEqual({
      origin: 'https://oss-eu-central-1.aliyuncs.com',
      host: 'oss-eu-central-1.aliyuncs.com',
      path: '/my-bucket/',
    });
  });

  it('uses the -internal host when internal is chosen', () => {
    expect(ossBucketTarget('my-bucket', 'cn-shanghai', endpointConfig({ internal: true })).host).toBe(
      'my-bucket.oss-cn-shanghai-internal.aliyuncs.com',
    );
    expect(ossServiceTarget('cn-shanghai', endpointConfig({ internal: true })).host).toBe(
      'oss-cn-shanghai-internal.aliyuncs.com',
    );
  });

  it('sends ListBuckets to the regional service endpoint', () => {
    expect(ossServiceTarget('cn-beijing', endpointConfig())).toEqual({
      origin: 'https://oss-cn-beijing.aliyuncs.com',
      host: 'oss-cn-beijing.aliyuncs.com',
      path: '/',
    });
  });

  it('connects to a custom http endpoint but keeps the service Host header', () => {
    const config = endpointConfig({ endpointOverride: 'http://127.0.0.1:9000' });
    expect(ossBucketTarget('my-bucket', 'cn-hangzhou', config)).toEqual({
      origin: 'http://127.0.0.1:9000',
      host: 'my-bucket.oss-cn-hangzhou.aliyuncs.com',
      path: '/',
    });
  });

  it('refuses bucket names and regions that are not valid host labels', () => {
    expect(() => ossBucketTarget('Bad_Bucket', 'cn-hangzhou', endpointConfig())).toThrow(OssArgumentError);
    expect(() => ossBucketTarget('ab', 'cn-hangzhou', endpointConfig())).toThrow(OssArgumentError);
    expect(() => ossBucketTarget('-abc', 'cn-hangzhou', endpointConfig())).toThrow(OssArgumentError);
    expect(() => ossServiceTarget('oss-cn.hangzhou', endpointConfig())).toThrow(OssArgumentError);
  });
});

describe('OSS Tables endpoints', () => {
  it('uses the regional path-style host over HTTPS', () => {
    expect(tablesTarget('cn-hangzhou', endpointConfig())).toEqual({
      origin: 'https://cn-hangzhou.oss-tables.aliyuncs.com',
      host: 'cn-hangzhou.oss-tables.aliyuncs.com',
    });
  });

  it('uses the internal host when internal is chosen', () => {
    expect(tablesTarget('cn-hangzhou', endpointConfig({ internal: true })).host).toBe(
      'cn-hangzhou-internal.oss-tables.aliyuncs.com',
    );
  });

  it('keeps the Tables Host header behind a custom endpoint', () => {
    expect(tablesTarget('us-east-1', endpointConfig({ endpointOverride: 'http://127.0.0.1:9000' }))).toEqual({
      origin: 'http://127.0.0.1:9000',
      host: 'us-east-1.oss-tables.aliyuncs.com',
    });
  });
});

describe('KMS endpoints', () => {
  it('uses kms.{region} over HTTPS with the RPC path /', () => {
    expect(kmsTarget('cn-hangzhou', endpointConfig())).toEqual({
      origin: 'https://kms.cn-hangzhou.aliyuncs.com',
      host: 'kms.cn-hangzhou.aliyuncs.com',
      path: '/',
    });
  });

  it('uses kms-vpc.{region} when internal is chosen', () => {
    expect(kmsTarget('cn-shanghai', endpointConfig({ internal: true })).host).toBe(
      'kms-vpc.cn-shanghai.aliyuncs.com',
    );
  });

  it('keeps the KMS Host header behind a custom endpoint', () => {
    expect(kmsTarget('cn-beijing', endpointConfig({ endpointOverride: 'http://127.0.0.1:9000' }))).toEqual({
      origin: 'http://127.0.0.1:9000',
      host: 'kms.cn-beijing.aliyuncs.com',
      path: '/',
    });
  });

  it('refuses a region that is not a valid host label', () => {
    expect(() => kmsTarget('cn hangzhou', endpointConfig())).toThrow(OssArgumentError);
  });
});

describe('parseEndpointOverride', () => {
  it('defaults to HTTPS when no scheme is given', () => {
    expect(parseEndpointOverride('oss-proxy.internal:8443')).toBe('https://oss-proxy.internal:8443');
  });

  it('keeps an explicit http scheme', () => {
    expect(parseEndpointOverride('http://127.0.0.1:9000/')).toBe('http://127.0.0.1:9000');
  });

  it.each([
    'http://127.0.0.1:9000/prefix',
    'http://user:pw@127.0.0.1',
    'ftp://127.0.0.1',
    'http://h?x=1',
    'http://',
  ])('refuses %s', (endpoint) => {
    expect(() => parseEndpointOverride(endpoint)).toThrow(OssArgumentError);
  });
});
