import { api, must } from '../api/client';
import type { Account, Severity } from '../api/types';
import { SeverityBadge, TagBadge } from '../components/badges';
import { PageHeader } from '../components/page-header';
import { Empty, ErrorNotice, Loading } from '../components/states';
import { useApi } from '../hooks/use-api';
import { formatCount, formatTime } from '../lib/format';
import { routeHref } from '../router';

const SEVERITIES_HIGH_FIRST: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/** Every audited account: configured or discovered, whether scans reach it, its coverage and findings. */
export function AccountsPage() {
  const { state, reload } = useApi('accounts', (signal) => must(api.GET('/v1/accounts', { signal })));
  return (
    <>
      <PageHeader
        title="Accounts"
        description="Accounts from the configuration and members discovered in the Resource Directory. An account a scan could not reach says why."
      />
      {state.status === 'loading' ? <Loading label="Loading accounts" /> : null}
      {state.status === 'error' ? (
        <ErrorNotice title="Could not load accounts" error={state.error} onRetry={reload} />
      ) : null}
      {state.status === 'ready' ? (
        state.data.items.length === 0 ? (
          <Empty title="No account has been scanned yet.">The first scan lists them.</Empty>
        ) : (
          <div class="table-scroll">
            <table class="list" data-testid="accounts-table">
              <caption class="visually-hidden">Accounts</caption>
              <thead>
                <tr>
                  <th scope="col">Account</th>
                  <th scope="col">Source</th>
                  <th scope="col">Folder</th>
                  <th scope="col">Last reached</th>
                  <th scope="col">Last error</th>
                  <th scope="col" class="numeric">
                    Observed
                  </th>
                  <th scope="col">Open findings</th>
                </tr>
              </thead>
              <tbody>
                {state.data.items.map((account) => (
                  <AccountRow key={account.alias} account={account} />
                ))}
              </tbody>
            </table>
          </div>
        )
      ) : null}
    </>
  );
}

function AccountRow({ account }: { account: Account }) {
  const findings = SEVERITIES_HIGH_FIRST.filter((severity) => (account.openFindings[severity] ?? 0) > 0);
  return (
    <tr>
      <th scope="row">
        <a href={routeHref('/findings', { account: account.alias })}>{account.name ?? account.alias}</a>
        {account.name === null ? null : <div class="muted">{account.alias}</div>}
        {account.inScope ? null : (
          <div>
            <TagBadge tone="neutral">Out of scope</TagBadge> since {formatTime(account.leftAt)}
          </div>
        )}
      </th>
      <td>{account.source === 'discovered' ? 'Resource Directory' : 'Configuration'}</td>
      <td>{account.folderId ?? '—'}</td>
      <td>
        {account.lastReachedAt === null ? (
          <TagBadge tone="bad">Never reached</TagBadge>
        ) : (
          formatTime(account.lastReachedAt)
        )}
      </td>
      <td>
        {account.lastError === null
          ? '—'
          : `${account.lastError.operation} ${account.lastError.code}${
              account.lastError.httpStatus === null
                ? ''
                : ` (HTTP ${account.lastError.httpStatus.toString()})`
            }`}
      </td>
      <td class="numeric">
        {account.coverage === null
          ? '—'
          : `${formatCount(account.coverage.observed)} / ${formatCount(account.coverage.listed)}`}
      </td>
      <td>
        {findings.length === 0
          ? 'None'
          : findings.map((severity) => (
              <span key={severity}>
                <SeverityBadge severity={severity} /> {formatCount(account.openFindings[severity] ?? 0)}{' '}
              </span>
            ))}
      </td>
    </tr>
  );
}
