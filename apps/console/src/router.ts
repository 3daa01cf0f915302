/**
 * Routes live in the URL's fragment (`#/findings?severity=high`): the server serves one page, a
 * link or a reload lands on the same view, and Back undoes a filter. Nothing secret ever goes in it.
 */
export type PageName =
  | 'overview'
  | 'findings'
  | 'resources'
  | 'resource'
  | 'drift'
  | 'scans'
  | 'scan'
  | 'alerts'
  | 'exceptions'
  | 'exception'
  | 'control'
  | 'accounts';

/** Detail pages named by a number (a resource, a scan) or by the API's text id (an exception, a control). */
type NumberedPage = 'resource' | 'scan';
type NamedPage = 'exception' | 'control';

export type Query = Readonly<Record<string, string>>;

export type Route =
  | { readonly page: Exclude<PageName, NumberedPage | NamedPage>; readonly query: Query }
  | { readonly page: NumberedPage; readonly id: number; readonly query: Query }
  | { readonly page: NamedPage; readonly name: string; readonly query: Query }
  | { readonly page: 'not-found'; readonly path: string; readonly query: Query };

const LIST_PAGES: Readonly<Record<string, Exclude<PageName, NumberedPage | NamedPage>>> = {
  '': 'overview',
  findings: 'findings',
  resources: 'resources',
  drift: 'drift',
  scans: 'scans',
  alerts: 'alerts',
  exceptions: 'exceptions',
  accounts: 'accounts',
};

const DETAIL_PAGES: Readonly<Record<string, NumberedPage>> = { resources: 'resource', scans: 'scan' };
const NAMED_PAGES: Readonly<Record<string, NamedPage>> = { exceptions: 'exception', controls: 'control' };
/** The API's own pattern for exception ids (`exc-…`, `file:…`) and control ids. */
const NAME = /^[A-Za-z0-9:._-]{1,200}$/;

function decoded(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/** The route of a location fragment (`#/resources/42?at=...`); unknown paths are `not-found`. */
export function parseRoute(hash: string): Route {
  const text = hash.startsWith('#') ? hash.slice(1) : hash;
  const queryAt = text.indexOf('?');
  const path = queryAt === -1 ? text : text.slice(0, queryAt);
  const query: Record<string, string> = {};
  if (queryAt !== -1) {
    for (const [key, value] of new URLSearchParams(text.slice(queryAt + 1))) {
      if (value !== '') query[key] = value;
    }
  }
  const segments = path.split('/').filter((segment) => segment !== '');
  const [first = '', second, ...rest] = segments;
  if (rest.length === 0 && second === undefined) {
    const page = LIST_PAGES[first];
    if (page !== undefined) return { page, query };
  }
  const detail = DETAIL_PAGES[first];
  if (rest.length === 0 && second !== undefined && detail !== undefined && /^[1-9]\d{0,15}$/.test(second)) {
    return { page: detail, id: Number(second), query };
  }
  const named = NAMED_PAGES[first];
  const name = second === undefined ? null : decoded(second);
  if (rest.length === 0 && named !== undefined && name !== null && NAME.test(name)) {
    return { page: named, name, query };
  }
  return { page: 'not-found', path: `/${segments.join('/')}`, query };
}

/** The path of a detail page named by text: `/exceptions/file%3Alegacy` (the name encoded). */
export function namedPath(list: 'exceptions' | 'controls', name: string): string {
  return `/${list}/${encodeURIComponent(name)}`;
}

/** The fragment of a route: `#/findings?severity=high` (empty values left out, keys in order given). */
export function routeHref(path: string, query: Query = {}): string {
  const search = new URLSearchParams(Object.entries(query).filter(([, value]) => value !== '')).toString();
  return `#${path}${search === '' ? '' : `?${search}`}`;
}

/** The query with `changes` applied: an empty or undefined value removes its key. */
export function withQuery(
  query: Query,
  changes: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const merged: Record<string, string | undefined> = { ...query, ...changes };
  return Object.fromEntries(
    Object.entries(merged).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '',
    ),
  );
}

/** The values of `keys` present in `query`: the filters a list route passes on to the API. */
export function pickQuery<const Key extends string>(
  query: Query,
  keys: readonly Key[],
): Partial<Record<Key, string>> {
  const picked: Partial<Record<Key, string>> = {};
  for (const key of keys) {
    const value = query[key];
    if (value !== undefined) picked[key] = value;
  }
  return picked;
}
