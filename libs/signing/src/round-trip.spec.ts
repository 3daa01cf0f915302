import fc from 'fast-check';
import { decodeQueryString, encodeQueryString } from './canonical-query';
import { formatIsoBasic, formatRfc1123 } from './dates';
import { tablesRequestPath, tablesSigningTarget, tablesTargetFromRequestPath } from './tables-path';
import type { QueryParam, SignableRequest, SigningCredentials, SigningProduct, SigningTarget } from './types';
import { uriEncode } from './uri-encode';
import { presignV1, signV1 } from './v1-signer';
import { presignV4, signV4 } from './v4-signer';
import { verifyRequest, type CredentialRecord, type VerifyOptions } from './verifier';

/** A request as a client builds it, with how it is signed and how the server will address it. */
interface Scenario {
  readonly version: 'v1' | 'v4';
  readonly mode: 'header' | 'query';
  readonly request: SignableRequest;
  /** The target the server derives from the wire path. */
  readonly serverTarget: SigningTarget;
  readonly credentials: SigningCredentials;
  readonly region: string;
  readonly product: SigningProduct;
  readonly signingTime: Date;
  readonly additionalHeaders: readonly string[];
  readonly upperCaseReceivedNames: boolean;
}

/** What reaches the server: names lowercase until `recase`, as tampering addresses them so. */
interface Received {
  readonly method: string;
  readonly target: SigningTarget;
  readonly query: QueryParam[];
  readonly headers: Record<string, string | readonly string[]>;
}

const TAMPERED_QUERY_PARAM = 'x-oss-test';
const TAMPERED_HEADER = 'x-oss-meta-tamper';
const SECRET_MARKER = 'SECRET<';
const TOKEN_MARKER = 'TOKEN<';

// Characters that stress encoding (+, space, /, %, reserved) mixed with arbitrary Unicode graphemes.
const textChar = fc.oneof(
  fc.constantFrom('+', ' ', '/', '%', '=', '&', '?', '#', '~', '*', "'", ':', ';', ',', '|', '.', '-', '_'),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
);
const text = (minLength: number) => fc.string({ unit: textChar, minLength, maxLength: 10 });
const headerValue = fc.string({
  unit: fc.constantFrom('a', 'b', 'X', 'Z', '0', '9', ' ', ',', ';', '=', '/', '+', '-', '_', '.', ':'),
  maxLength: 12,
});
const headerEntry = fc.oneof(headerValue, fc.array(headerValue, { minLength: 1, maxLength: 3 }));
const bucketName = fc.stringMatching(/^[a-z0-9][a-z0-9-]{1,10}[a-z0-9]$/);

const ossTarget = (product: 'oss' | 'oss-cloudbox') =>
  fc
    .record({
      bucket: fc.option(bucketName, { nil: undefined }),
      key: fc.option(text(1), { nil: undefined }),
    })
    .map(({ bucket, key }): SigningTarget => {
      if (bucket === undefined) return { product };
      return key === undefined ? { product, bucket } : { product, bucket, key };
    });

const tablesTargets = fc
  .record({
    arn: fc.option(
      fc
        .tuple(fc.stringMatching(/^\d{6,12}$/), bucketName)
        .map(([account, name]) => `acs:osstables:cn-hangzhou:${account}:bucket/${name}`),
      { nil: undefined },
    ),
    suffix: fc.oneof(fc.constant(''), fc.constant('encryption'), text(1)),
  })
  .map(({ arn, suffix }) => ({
    client: tablesSigningTarget(arn, suffix),
    server: tablesTargetFromRequestPath(tablesRequestPath(arn, suffix)),
  }));

const addressing = fc.oneof(
  ossTarget('oss').map((target) => ({
    client: target,
    server: target,
    product: 'oss' as const,
    region: 'cn-hangzhou',
  })),
  ossTarget('oss-cloudbox').map((target) => ({
    client: target,
    server: target,
    product: 'oss-cloudbox' as const,
    region: 'cb-123',
  })),
  tablesTargets.map((targets) => ({ ...targets, product: 'osstables' as const, region: 'cn-hangzhou' })),
);

const credentials = fc
  .record({
    accessKeyId: fc.stringMatching(/^[A-Za-z0-9.]{1,16}$/),
    secret: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }),
    token: fc.option(fc.stringMatching(/^[A-Za-z0-9+/=]{1,30}$/), { nil: undefined }),
  })
  .map(({ accessKeyId, secret, token }): SigningCredentials => ({
    accessKeyId,
    accessKeySecret: `${SECRET_MARKER}${secret}>`,
    ...(token === undefined ? {} : { securityToken: `${TOKEN_MARKER}${token}>` }),
  }));

const randomCase = (name: string, upper: boolean): string => (upper ? name.toUpperCase() : name);

const scenarios: fc.Arbitrary<Scenario> = fc
  .record({
    addressing,
    versionPick: fc.boolean(),
    mode: fc.constantFrom('header' as const, 'query' as const),
    method: fc.constantFrom('GET', 'PUT', 'POST', 'DELETE', 'HEAD'),
    query: fc.array(fc.tuple(text(1), text(0)), { maxLength: 4 }),
    tamperedValue: text(0),
    ossHeaders: fc.dictionary(
      fc.stringMatching(/^[a-z0-9]{1,6}$/).map((name) => `x-oss-meta-${name}`),
      headerEntry,
      { maxKeys: 3 },
    ),
    otherHeaders: fc.dictionary(
      fc.stringMatching(/^[a-z]{1,6}$/).map((name) => `x-custom-${name}`),
      headerEntry,
      { maxKeys: 3 },
    ),
    contentType: fc.option(
      fc.constantFrom('text/plain', 'application/json', ' application/xml; charset=utf-8 '),
      { nil: undefined },
    ),
    extraAdditional: fc.subarray(['X-Not-Sent', 'content-type', TAMPERED_HEADER, 'host']),
    additionalPick: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
    upperCaseRequestNames: fc.boolean(),
    upperCaseReceivedNames: fc.boolean(),
    credentials,
    signingTime: fc
      .date({
        min: new Date('2001-01-01T00:00:00Z'),
        max: new Date('2099-12-31T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((date) => new Date(Math.floor(date.getTime() / 1000) * 1000)),
  })
  .map((draft): Scenario => {
    const version = draft.addressing.product === 'osstables' || draft.versionPick ? 'v4' : 'v1';
    const headers: Record<string, string | readonly string[]> = {};
    for (const [name, value] of Object.entries({
      ...draft.ossHeaders,
      ...draft.otherHeaders,
      [TAMPERED_HEADER]: 'original',
    })) {
      headers[randomCase(name, draft.upperCaseRequestNames)] = value;
    }
    if (draft.contentType !== undefined) headers['Content-Type'] = draft.contentType;
    const additionalHeaders = [
      ...Object.keys(draft.otherHeaders).filter((_name, index) => draft.additionalPick[index] === true),
      ...draft.extraAdditional,
    ].map((name) => randomCase(name, draft.upperCaseRequestNames));
    return {
      version,
      mode: draft.mode,
      request: {
        method: draft.method,
        target: draft.addressing.client,
        query: [...draft.query, [TAMPERED_QUERY_PARAM, draft.tamperedValue]],
        headers,
      },
      serverTarget: draft.addressing.server,
      credentials: draft.credentials,
      region: draft.addressing.region,
      product: draft.addressing.product,
      signingTime: draft.signingTime,
      additionalHeaders,
      upperCaseReceivedNames: draft.upperCaseReceivedNames,
    };
  });

const PRESIGN_SECONDS = 3600;

/** Signs the scenario and returns the request as the server receives it. */
function signAndTransmit(scenario: Scenario): Received {
  const { request, credentials, signingTime, region, product } = scenario;
  const overTheWire = (query: readonly QueryParam[]) => decodeQueryString(encodeQueryString(query));
  const base = { method: request.method, target: scenario.serverTarget };
  const v4Input = {
    request,
    credentials,
    region,
    product,
    signingTime,
    additionalHeaders: scenario.additionalHeaders,
  };
  switch (`${scenario.version}-${scenario.mode}`) {
    case 'v4-header':
      return { ...base, query: overTheWire(request.query), headers: signV4(v4Input).headers };
    case 'v1-header':
      return {
        ...base,
        query: overTheWire(request.query),
        headers: signV1({ request, credentials, signingTime }).headers,
      };
    case 'v4-query':
      return {
        ...base,
        query: overTheWire(presignV4({ ...v4Input, expiresInSeconds: PRESIGN_SECONDS }).query),
        headers: lowerCaseNames(request.headers),
      };
    default: {
      const expires = new Date(signingTime.getTime() + PRESIGN_SECONDS * 1000);
      return {
        ...base,
        query: overTheWire(presignV1({ request, credentials, expires }).query),
        headers: lowerCaseNames(request.headers),
      };
    }
  }
}

function lowerCaseNames(headers: SignableRequest['headers']): Record<string, string | readonly string[]> {
  const lowered: Record<string, string | readonly string[]> = {};
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined) lowered[name.toLowerCase()] = value;
  return lowered;
}

function deliver(scenario: Scenario, received: Received): SignableRequest {
  const headers: Record<string, string | readonly string[]> = {};
  for (const [name, value] of Object.entries(received.headers))
    headers[randomCase(name, scenario.upperCaseReceivedNames)] = value;
  return { ...received, headers };
}

function serverOptions(scenario: Scenario, record?: Partial<CredentialRecord>): VerifyOptions {
  const { credentials } = scenario;
  return {
    now: scenario.signingTime,
    resolveCredential: (accessKeyId) =>
      accessKeyId === credentials.accessKeyId
        ? {
            accessKeySecret: credentials.accessKeySecret,
            ...(credentials.securityToken === undefined ? {} : { securityToken: credentials.securityToken }),
            ...record,
          }
        : undefined,
  };
}

const setQuery = (received: Received, name: string, value: string): Received => ({
  ...received,
  query: [...received.query.filter(([candidate]) => candidate !== name), [name, value]],
});
const setHeader = (received: Received, name: string, value: string): Received => ({
  ...received,
  headers: { ...received.headers, [name]: value },
});
const firstValue = (received: Received, name: string): string =>
  received.query.find(([candidate]) => candidate === name)?.[1] ?? '';

/** One second away, staying on the same UTC day so that only the signature can catch it. */
function shiftedSecond(time: Date): Date {
  const lastSecondOfDay =
    time.getUTCHours() === 23 && time.getUTCMinutes() === 59 && time.getUTCSeconds() === 59;
  return new Date(time.getTime() + (lastSecondOfDay ? -1000 : 1000));
}

function tamperPath(target: SigningTarget): SigningTarget {
  switch (target.product) {
    case 'osstables':
      return { ...target, path: `${target.path}x` };
    case 'oss':
    case 'oss-cloudbox':
      if (target.bucket === undefined) return { ...target, bucket: 'tampered' };
      return { ...target, key: `${target.key ?? ''}x` };
  }
}

function tamperDate(scenario: Scenario, received: Received): Received {
  const shifted = shiftedSecond(scenario.signingTime);
  switch (`${scenario.version}-${scenario.mode}`) {
    case 'v4-header':
      return setHeader(received, 'x-oss-date', formatIsoBasic(shifted));
    case 'v1-header':
      return setHeader(received, 'date', formatRfc1123(shifted));
    case 'v4-query':
      return setQuery(received, 'x-oss-date', formatIsoBasic(shifted));
    default:
      return setQuery(received, 'Expires', String(Number(firstValue(received, 'Expires')) + 1));
  }
}

function presentToken(scenario: Scenario, received: Received, token: string): Received {
  if (scenario.mode === 'header') return setHeader(received, 'x-oss-security-token', token);
  return setQuery(received, scenario.version === 'v4' ? 'x-oss-security-token' : 'security-token', token);
}

type Tamper = (
  scenario: Scenario,
  received: Received,
) => { received: Received; options?: VerifyOptions; code: string };

const TAMPERS: Record<string, Tamper> = {
  method: (_scenario, received) => ({
    received: { ...received, method: received.method === 'GET' ? 'PUT' : 'GET' },
    code: 'SignatureDoesNotMatch',
  }),
  path: (_scenario, received) => ({
    received: { ...received, target: tamperPath(received.target) },
    code: 'SignatureDoesNotMatch',
  }),
  'query value': (_scenario, received) => ({
    received: setQuery(received, TAMPERED_QUERY_PARAM, `${firstValue(received, TAMPERED_QUERY_PARAM)}x`),
    code: 'SignatureDoesNotMatch',
  }),
  'signed header value': (_scenario, received) => ({
    received: setHeader(received, TAMPERED_HEADER, 'changed'),
    code: 'SignatureDoesNotMatch',
  }),
  date: (scenario, received) => ({ received: tamperDate(scenario, received), code: 'SignatureDoesNotMatch' }),
  secret: (scenario, received) => ({
    received,
    options: serverOptions(scenario, { accessKeySecret: `${scenario.credentials.accessKeySecret}x` }),
    code: 'SignatureDoesNotMatch',
  }),
  token: (scenario, received) =>
    scenario.credentials.securityToken === undefined
      ? {
          received: presentToken(scenario, received, `${TOKEN_MARKER}unexpected>`),
          code: 'InvalidAccessKeyId',
        }
      : {
          received: presentToken(scenario, received, `${scenario.credentials.securityToken}x`),
          code: 'InvalidSecurityToken',
        },
};

describe('sign then verify (property)', () => {
  it('accepts whatever the signer signs, V1 and V4, header and query mode, with or without STS', () => {
    fc.assert(
      fc.property(scenarios, (scenario) => {
        const result = verifyRequest(deliver(scenario, signAndTransmit(scenario)), serverOptions(scenario));

        expect(result).toEqual({
          ok: true,
          accessKeyId: scenario.credentials.accessKeyId,
          version: scenario.version,
          mode: scenario.mode,
          ...(scenario.version === 'v4' ? { region: scenario.region, product: scenario.product } : {}),
          ...(scenario.credentials.securityToken === undefined
            ? {}
            : { securityToken: scenario.credentials.securityToken }),
        });
      }),
      { numRuns: 300 },
    );
  });

  it('rejects any change to a signed part with the matching code, and never echoes a secret or token', () => {
    fc.assert(
      fc.property(scenarios, fc.constantFrom(...Object.keys(TAMPERS)), (scenario, tamperName) => {
        const tampered = TAMPERS[tamperName]!(scenario, signAndTransmit(scenario));
        const result = verifyRequest(
          deliver(scenario, tampered.received),
          tampered.options ?? serverOptions(scenario),
        );

        expect(result).toMatchObject({ ok: false, error: { code: tampered.code } });
        const serialized = JSON.stringify(result);
        expect(serialized).not.toContain(SECRET_MARKER);
        expect(serialized).not.toContain(TOKEN_MARKER);
        expect(serialized).not.toContain(uriEncode(TOKEN_MARKER, false));
      }),
      { numRuns: 500 },
    );
  });
});
