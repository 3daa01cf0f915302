import {
  misplacedApiKey,
  redactApiKeys,
  redactRequestLog,
  redactResponseLog,
  redactUrl,
} from './misplaced-api-keys';

const TOKEN = `seed_${'Ab3_-x'.repeat(7)}Q`;

describe('misplaced API keys', () => {
  it.each([
    [`/v1/findings?api_key=${TOKEN}`, 'query parameter api_key'],
    [`/v1/findings?access_token=${TOKEN}`, 'query parameter access_token'],
    [`/v1/findings?key=anything`, 'query parameter key'],
    [`/v1/findings?API_KEY=x`, 'query parameter API_KEY'],
    [`/v1/findings?limit=5&token=x`, 'query parameter token'],
    [`/v1/findings?namePrefix=${TOKEN}`, 'query parameter namePrefix'],
    [`/v1/findings?namePrefix=${TOKEN.replace('_', '%5F')}`, 'query parameter namePrefix'],
    [`/v1/findings?${TOKEN}`, `query parameter ${TOKEN}`],
  ])('finds a key in %s', (url, where) => {
    expect(misplacedApiKey(url, {})).toBe(where);
  });

  it.each<[Record<string, string | string[]>, string]>([
    [{ 'x-api-key': TOKEN }, 'header x-api-key'],
    [{ 'x-api-key': '' }, 'header x-api-key'],
    [{ 'api-key': 'x' }, 'header api-key'],
    [{ cookie: `session=${TOKEN}` }, 'header cookie'],
    [{ 'x-forwarded-for': ['1.2.3.4', TOKEN] }, 'header x-forwarded-for'],
  ])('finds a key in the headers %j', (headers, where) => {
    expect(misplacedApiKey('/v1/findings', headers)).toBe(where);
  });

  it('finds none where keys belong, or where there is none', () => {
    expect(
      misplacedApiKey('/v1/findings?limit=5&namePrefix=seed', { authorization: `Bearer ${TOKEN}` }),
    ).toBeNull();
    expect(misplacedApiKey('/v1/findings?namePrefix=%zz&cursor=abc', { 'user-agent': 'curl' })).toBeNull();
  });
});

describe('log redaction', () => {
  it('replaces anything shaped like a key, percent-encoded or cut short', () => {
    expect(redactApiKeys(`a ${TOKEN} b`)).toBe('a seed_[redacted] b');
    expect(redactApiKeys(`x=${TOKEN.replace('_', '%5F')}&y=1`)).toBe('x=seed_[redacted]&y=1');
    expect(redactApiKeys(`x=${TOKEN.slice(0, 20)}`)).toBe('x=seed_[redacted]');
  });

  it('replaces the value of key-named query parameters whatever it is', () => {
    expect(redactUrl('/v1/findings?limit=5&api_key=s3cr3t&Access_Token=t0k')).toBe(
      '/v1/findings?limit=5&api_key=[redacted]&Access_Token=[redacted]',
    );
    expect(redactUrl(`/v1/findings?namePrefix=${TOKEN}`)).toBe('/v1/findings?namePrefix=seed_[redacted]');
  });

  it('redacts the url, query, params and headers of a logged request, and keeps the rest', () => {
    const logged = redactRequestLog({
      id: 7,
      method: 'GET',
      url: `/v1/findings?key=${TOKEN}`,
      query: { key: TOKEN, namePrefix: [TOKEN, 'ok'] },
      params: { id: TOKEN },
      headers: { 'x-api-key': 'abc', 'user-agent': `curl ${TOKEN}` },
    });
    expect(logged).toEqual({
      id: 7,
      method: 'GET',
      url: '/v1/findings?key=[redacted]',
      query: { key: '[redacted]', namePrefix: ['seed_[redacted]', 'ok'] },
      params: { id: 'seed_[redacted]' },
      headers: { 'x-api-key': '[redacted]', 'user-agent': 'curl seed_[redacted]' },
    });
    expect(JSON.stringify(logged)).not.toContain(TOKEN.slice(5));
  });

  it('replaces the Authorization and Cookie headers of a logged request whole', () => {
    expect(
      redactRequestLog({
        url: '/v1/findings?limit=5',
        headers: { authorization: `Bearer ${TOKEN}`, cookie: 'session=abc', accept: 'application/json' },
      }).headers,
    ).toEqual({ authorization: '[redacted]', cookie: '[redacted]', accept: 'application/json' });
  });

  it('takes apart a percent-encoded key-named parameter of a logged request', () => {
    expect(
      redactRequestLog({ url: '/v1/findings?%6Bey=s3cr3t', query: { key: 's3cr3t' }, headers: {} }),
    ).toEqual({ url: '/v1/findings?%6Bey=[redacted]', query: { key: '[redacted]' }, headers: {} });
  });

  it('replaces the Set-Cookie header of a logged response whole', () => {
    expect(
      redactResponseLog({ statusCode: 200, headers: { 'set-cookie': ['a=b'], 'content-length': '2' } }),
    ).toEqual({ statusCode: 200, headers: { 'set-cookie': '[redacted]', 'content-length': '2' } });
  });
});
