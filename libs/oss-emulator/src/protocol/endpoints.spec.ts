import { HostCache, parseHost } from './endpoints';

describe('parseHost', () => {
  it.each([
    ['oss-cn-hangzhou.aliyuncs.com', { service: 'oss', region: 'cn-hangzhou' }],
    ['oss-cn-hangzhou-internal.aliyuncs.com', { service: 'oss', region: 'cn-hangzhou' }],
    [
      'examplebucket.oss-cn-hangzhou.aliyuncs.com',
      { service: 'oss', region: 'cn-hangzhou', bucket: 'examplebucket' },
    ],
    [
      'examplebucket.oss-cn-shanghai-internal.aliyuncs.com:443',
      { service: 'oss', region: 'cn-shanghai', bucket: 'examplebucket' },
    ],
    ['cn-hangzhou.oss.aliyuncs.com', { service: 'oss', region: 'cn-hangzhou' }],
    ['b1.cn-hangzhou.oss.aliyuncs.com', { service: 'oss', region: 'cn-hangzhou', bucket: 'b1' }],
    ['oss.aliyuncs.com', { service: 'oss' }],
    ['b1.oss-accelerate.aliyuncs.com', { service: 'oss', bucket: 'b1' }],
    // ali-oss against an IP endpoint, ListBuckets: empty bucket label (docs/wire/oss.md §4.1).
    ['.oss-cn-hangzhou.aliyuncs.com', { service: 'oss', region: 'cn-hangzhou' }],
    ['cn-hangzhou.oss-tables.aliyuncs.com', { service: 'osstables', region: 'cn-hangzhou' }],
    ['cn-beijing-internal.oss-tables.aliyuncs.com', { service: 'osstables', region: 'cn-beijing' }],
    [
      'demo-bucket-1234567890.cn-beijing.oss-tables.aliyuncs.com',
      {
        service: 'osstables',
        region: 'cn-beijing',
        tableBucket: { name: 'demo-bucket', accountId: '1234567890' },
      },
    ],
    ['127.0.0.1:9000', { service: 'neutral' }],
    ['localhost', { service: 'neutral' }],
    ['[::1]:9000', { service: 'neutral' }],
    ['ecs.cn-hangzhou.aliyuncs.com', { service: 'neutral' }],
  ])('reads %s', (host, expected) => {
    expect(parseHost(host)).toMatchObject(expected);
    const parsed = parseHost(host);
    for (const field of ['region', 'bucket', 'tableBucket'] as const) {
      if (!(field in expected)) expect(parsed[field]).toBeUndefined();
    }
  });

  it('treats a missing Host as neutral', () => {
    expect(parseHost(undefined)).toEqual({ hostname: '', service: 'neutral' });
  });

  it('lower-cases and drops the port from the host name', () => {
    expect(parseHost('Bucket.OSS-cn-hangzhou.aliyuncs.com:80').hostname).toBe(
      'bucket.oss-cn-hangzhou.aliyuncs.com',
    );
  });
});

describe('HostCache', () => {
  it('returns the same parse for the same header', () => {
    const cache = new HostCache(2);
    expect(cache.get('b.oss-cn-hangzhou.aliyuncs.com')).toBe(cache.get('b.oss-cn-hangzhou.aliyuncs.com'));
  });

  it('keeps working past its capacity', () => {
    const cache = new HostCache(1);
    cache.get('a.oss-cn-hangzhou.aliyuncs.com');
    expect(cache.get('b.oss-cn-beijing.aliyuncs.com')).toMatchObject({ bucket: 'b', region: 'cn-beijing' });
  });
});
