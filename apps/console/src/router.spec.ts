import { parseRoute, pickQuery, routeHref, withQuery } from './router';

describe('console routes', () => {
  it.each([
    ['', { page: 'overview', query: {} }],
    ['#/', { page: 'overview', query: {} }],
    ['#/findings?severity=high&status=all', { page: 'findings', query: { severity: 'high', status: 'all' } }],
    ['#/resources/42', { page: 'resource', id: 42, query: {} }],
    ['#/resources/42?at=2026-03-05', { page: 'resource', id: 42, query: { at: '2026-03-05' } }],
    ['#/scans/7', { page: 'scan', id: 7, query: {} }],
    ['#/drift', { page: 'drift', query: {} }],
    ['#/alerts?status=failed', { page: 'alerts', query: { status: 'failed' } }],
    ['#/accounts', { page: 'accounts', query: {} }],
  ])('reads %j', (hash, route) => {
    expect(parseRoute(hash)).toEqual(route);
  });

  it.each(['#/resources/0', '#/resources/abc', '#/resources/1/2', '#/controls', '#/scans/99999999999999999'])(
    'calls %j not found',
    (hash) => {
      expect(parseRoute(hash).page).toBe('not-found');
    },
  );

  it('drops empty values when reading and writing', () => {
    expect(parseRoute('#/findings?severity=&rule=non_kms').query).toEqual({ rule: 'non_kms' });
    expect(routeHref('/findings', { severity: '', rule: 'non_kms', namePrefix: 'a b&c' })).toBe(
      '#/findings?rule=non_kms&namePrefix=a+b%26c',
    );
    expect(routeHref('/')).toBe('#/');
  });

  it('changes a query without touching the other keys, removing emptied ones', () => {
    expect(
      withQuery({ severity: 'high', kind: 'bucket' }, { severity: undefined, rule: 'non_kms', kind: '' }),
    ).toEqual({
      rule: 'non_kms',
    });
  });

  it('picks only the keys a route passes on', () => {
    expect(pickQuery({ severity: 'high', theme: 'dark' }, ['severity', 'rule'])).toEqual({
      severity: 'high',
    });
  });
});
