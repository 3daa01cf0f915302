import { namedPath, parseRoute, pickQuery, routeHref, withQuery } from './router';

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
    ['#/exceptions?state=active', { page: 'exceptions', query: { state: 'active' } }],
    ['#/exceptions/exc-1b2c', { page: 'exception', name: 'exc-1b2c', query: {} }],
    ['#/exceptions/file%3Alegacy-dump', { page: 'exception', name: 'file:legacy-dump', query: {} }],
    ['#/controls/cis-alibaba-v2.0.0-5.8', { page: 'control', name: 'cis-alibaba-v2.0.0-5.8', query: {} }],
  ])('reads %j', (hash, route) => {
    expect(parseRoute(hash)).toEqual(route);
  });

  it.each([
    '#/resources/0',
    '#/resources/abc',
    '#/resources/1/2',
    '#/controls',
    '#/scans/99999999999999999',
    '#/exceptions/a%2Fb',
    '#/exceptions/%E0%A4%A',
  ])('calls %j not found', (hash) => {
    expect(parseRoute(hash).page).toBe('not-found');
  });

  it('encodes a named detail page so its route reads back the same name', () => {
    expect(namedPath('exceptions', 'file:legacy-dump')).toBe('/exceptions/file%3Alegacy-dump');
    expect(parseRoute(routeHref(namedPath('exceptions', 'file:legacy-dump')))).toEqual({
      page: 'exception',
      name: 'file:legacy-dump',
      query: {},
    });
  });

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
