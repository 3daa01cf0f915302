import { api, must } from '../api/client';
import type { FilterOption } from '../components/filters';
import { useApi } from './use-api';

/** The accounts and regions the audit knows, for the filters' choices. */
export interface Catalog {
  readonly accounts: readonly FilterOption[];
  readonly regions: readonly FilterOption[];
}

const EMPTY: Catalog = { accounts: [], regions: [] };

/** One load per session: accounts and regions change with scans, not from page to page. */
let cached: Promise<Catalog> | null = null;

/** Forgets the catalog (on sign-out: the next key may see another API). */
export function resetCatalog(): void {
  cached = null;
}

function loadCatalog(): Promise<Catalog> {
  cached ??= fetchCatalog().catch((error: unknown) => {
    cached = null;
    throw error;
  });
  return cached;
}

async function fetchCatalog(): Promise<Catalog> {
  const summary = await must(api.GET('/v1/summary', { params: { query: { scans: 1 } } }));
  const options = (values: Iterable<string>) =>
    [...new Set(values)].sort().map((value) => ({ value, label: value }));
  return {
    accounts: options(summary.byAccountRegion.map((row) => row.accountAlias)),
    regions: options(summary.byAccountRegion.map((row) => row.region)),
  };
}

/**
 * Accounts and regions from `/v1/summary` (those with present resources or open findings). Until
 * it answers, or if it fails, the filters offer only what the URL already holds.
 */
export function useCatalog(): Catalog {
  const { state } = useApi('catalog', loadCatalog);
  return state.status === 'ready' ? state.data : EMPTY;
}
