import fc from 'fast-check';
import { signAcs3, type SignAcs3Input } from './acs3-signer';
import { verifyAcs3Request, type Acs3ReceivedRequest } from './acs3-verifier';
import type { QueryParam } from './types';

/**
 * Property: whatever a client signs, the verifier accepts as received (query decoded, header names
 * in any case), and any change to a signed part, or a wrong secret, is refused.
 */

const SECRET = 'round-trip-secret';
const TOKEN = 'round-trip-token';
const NOW = new Date('2025-04-17T08:30:00Z');

const textChar = fc.oneof(
  fc.constantFrom(
    '+',
    ' ',
    '/',
    '%',
    '=',
    '&',
    '?',
    '#',
    '~',
    '*',
    "'",
    ':',
    ';',
    ',',
    '|',
    '.',
    '-',
    '_',
    '!',
  ),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
);
const text = (minLength: number) => fc.string({ unit: textChar, minLength, maxLength: 10 });
const query = fc.array(fc.tuple(text(1), text(0)), { maxLength: 5 }) as fc.Arbitrary<QueryParam[]>;
const headerValue = fc.string({
  unit: fc.constantFrom('a', 'Z', '0', ' ', ',', ';', '=', '/', '+', '-', '_', '.', ':'),
  maxLength: 12,
});
const extraHeaders = fc.dictionary(
  fc.constantFrom('x-acs-extra', 'content-type', 'user-agent', 'accept', 'x-acs-region-id'),
  fc.oneof(headerValue, fc.array(headerValue, { minLength: 1, maxLength: 3 })),
);

interface Scenario {
  readonly method: string;
  readonly path: string;
  readonly query: QueryParam[];
  readonly headers: Record<string, string | string[]>;
  readonly sts: boolean;
  readonly nonce: string;
  readonly body: string;
  readonly upperCaseNames: boolean;
}

const scenario: fc.Arbitrary<Scenario> = fc.record({
  method: fc.constantFrom('GET', 'POST'),
  path: fc.oneof(
    fc.constant('/'),
    text(1).map((segment) => `/api/${segment}`),
  ),
  query,
  headers: extraHeaders,
  sts: fc.boolean(),
  nonce: fc.stringMatching(/^[0-9a-f]{32}$/),
  body: fc.oneof(fc.constant(''), text(1)),
  upperCaseNames: fc.boolean(),
});

function sign(s: Scenario) {
  const input: SignAcs3Input = {
    request: {
      method: s.method,
      path: s.path,
      query: s.query,
      headers: { ...s.headers, host: 'kms.cn-hangzhou.aliyuncs.com' },
    },
    credentials: { accessKeyId: 'ak', accessKeySecret: SECRET, ...(s.sts ? { securityToken: TOKEN } : {}) },
    action: 'DescribeKey',
    version: '2016-01-20',
    signingTime: NOW,
    nonce: s.nonce,
    body: s.body,
  };
  return signAcs3(input);
}

function receive(s: Scenario, headers: Record<string, string>): Acs3ReceivedRequest {
  const named = s.upperCaseNames
    ? Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toUpperCase(), value]))
    : headers;
  return { method: s.method, path: s.path, query: s.query, headers: named, body: s.body };
}

function verify(request: Acs3ReceivedRequest, secret = SECRET) {
  return verifyAcs3Request(request, {
    now: NOW,
    resolveCredential: (accessKeyId) => (accessKeyId === 'ak' ? { accessKeySecret: secret } : undefined),
  });
}

describe('ACS3 round trip', () => {
  it('accepts every signed request as received', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const result = verifyAcs3Request(receive(s, sign(s).headers), {
          now: NOW,
          resolveCredential: () => ({ accessKeySecret: SECRET, ...(s.sts ? { securityToken: TOKEN } : {}) }),
        });
        expect(result).toMatchObject({ ok: true, accessKeyId: 'ak', nonce: s.nonce });
      }),
    );
  });

  const tamperings: readonly [
    string,
    (s: Scenario, headers: Record<string, string>) => Acs3ReceivedRequest,
  ][] = [
    ['the method', (s, h) => ({ ...receive(s, h), method: s.method === 'GET' ? 'POST' : 'GET' })],
    ['the path', (s, h) => ({ ...receive(s, h), path: `${s.path}x` })],
    ['an added query parameter', (s, h) => ({ ...receive(s, h), query: [...s.query, ['Extra', '1']] })],
    ['the body', (s, h) => ({ ...receive(s, h), body: `${s.body}!` })],
    ['the action header', (s, h) => receive(s, { ...h, 'x-acs-action': 'ScheduleKeyDeletion' })],
    ['the host header', (s, h) => receive(s, { ...h, host: 'kms.cn-shanghai.aliyuncs.com' })],
    ['the nonce', (s, h) => receive(s, { ...h, 'x-acs-signature-nonce': `${s.nonce}0` })],
  ];

  it.each(tamperings)('refuses a change of %s', (_name, tamper) => {
    fc.assert(
      fc.property(
        scenario.filter((s) => !s.sts),
        (s) => {
          const result = verify(tamper(s, sign(s).headers));
          expect(result).toMatchObject({ ok: false, error: { code: 'SignatureDoesNotMatch' } });
        },
      ),
    );
  });

  it('refuses a changed query value when there is one', () => {
    fc.assert(
      fc.property(
        scenario.filter((s) => !s.sts && s.query.length > 0),
        (s) => {
          const [first, ...others] = s.query;
          const changed: QueryParam[] = [[first![0], `${first![1]}x`], ...others];
          expect(verify({ ...receive(s, sign(s).headers), query: changed }).ok).toBe(false);
        },
      ),
    );
  });

  it('refuses a signature made with another secret', () => {
    fc.assert(
      fc.property(
        scenario.filter((s) => !s.sts),
        (s) => {
          expect(verify(receive(s, sign(s).headers), 'another-secret').ok).toBe(false);
        },
      ),
    );
  });
});
