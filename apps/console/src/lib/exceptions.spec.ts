import { describeScope, problemsByField, scopeCovers, type ScopedResource } from './exceptions';

const LOGS: ScopedResource = {
  resourceKey: 'oss:logs-2024',
  accountAlias: 'prod',
  region: 'cn-hangzhou',
  kind: 'bucket',
  name: 'logs-2024',
};

describe('exception scopes in the console', () => {
  it('covers a resource by its key only', () => {
    expect(scopeCovers({ type: 'resource', resourceKey: 'oss:logs-2024' }, LOGS)).toBe(true);
    expect(scopeCovers({ type: 'resource', resourceKey: 'oss:logs' }, LOGS)).toBe(false);
  });

  it('covers names by account, glob, and the region and kind when given', () => {
    const names = {
      type: 'names' as const,
      accountAlias: 'prod',
      namePatterns: ['tmp-*', 'logs-20??'],
      region: null,
      resourceKind: null,
    };
    expect(scopeCovers(names, LOGS)).toBe(true);
    expect(scopeCovers({ ...names, namePatterns: ['logs-20?'] }, LOGS)).toBe(false);
    expect(scopeCovers({ ...names, namePatterns: ['logs.2024'] }, LOGS)).toBe(false);
    expect(scopeCovers({ ...names, accountAlias: 'staging' }, LOGS)).toBe(false);
    expect(scopeCovers({ ...names, region: 'cn-shanghai' }, LOGS)).toBe(false);
    expect(scopeCovers({ ...names, resourceKind: 'table_bucket' }, LOGS)).toBe(false);
    expect(scopeCovers({ ...names, region: 'cn-hangzhou', resourceKind: 'bucket' }, LOGS)).toBe(true);
  });

  it('says a scope in words', () => {
    expect(describeScope({ type: 'resource', resourceKey: 'oss:logs' })).toBe('oss:logs');
    expect(
      describeScope({
        type: 'names',
        accountAlias: 'prod',
        namePatterns: ['logs-*', 'tmp-?'],
        region: 'cn-hangzhou',
        resourceKind: 'bucket',
      }),
    ).toBe('names logs-*, tmp-? in prod (cn-hangzhou, buckets)');
    expect(
      describeScope({
        type: 'names',
        accountAlias: 'prod',
        namePatterns: ['*-dump'],
        region: null,
        resourceKind: null,
      }),
    ).toBe('names *-dump in prod');
  });
});

describe('the problems of a refused exception request', () => {
  it('puts each of the API’s problems next to its field', () => {
    expect(
      problemsByField(
        'reason: must be at least 10 characters; scope.resourceKey: is required; controlIds[1]: is not a control of the catalogue ("x"); expiresAt: must be at most 365 days after creation (policy)',
        'reason',
      ),
    ).toEqual({
      reason: ['must be at least 10 characters'],
      'scope.resourceKey': ['is required'],
      controlIds: ['is not a control of the catalogue ("x")'],
      expiresAt: ['must be at most 365 days after creation (policy)'],
    });
  });

  it('keeps a message that names no field for the whole form, or for the parameter it names', () => {
    expect(problemsByField('The body must be a JSON object', 'body')).toEqual({
      '': ['The body must be a JSON object'],
    });
    expect(problemsByField('must be an object', 'scope')).toEqual({ scope: ['must be an object'] });
  });
});
