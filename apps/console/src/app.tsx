import { useEffect, useRef, useState } from 'preact/hooks';

import { ApiFailure, describeFailure, whenUnauthorized } from './api/client';
import type { ApiKeyIdentity } from './api/types';
import { resetCatalog } from './hooks/use-catalog';
import { useRoute } from './hooks/use-route';
import { NAVIGATION } from './navigation';
import { AccountsPage } from './pages/accounts';
import { AlertsPage } from './pages/alerts';
import { ControlPage } from './pages/control';
import { DriftPage } from './pages/drift';
import { ExceptionPage } from './pages/exception';
import { ExceptionsPage } from './pages/exceptions';
import { FindingsPage } from './pages/findings';
import { identify, LoginPage } from './pages/login';
import { NotFoundPage } from './pages/not-found';
import { OverviewPage } from './pages/overview';
import { ResourcePage } from './pages/resource';
import { ResourcesPage } from './pages/resources';
import { ScanPage } from './pages/scan';
import { ScansPage } from './pages/scans';
import { type PageName, type Route, routeHref } from './router';
import { forgetKey, rememberKey, storedKey } from './session';
import { applyTheme, savedTheme, type ThemeChoice } from './theme';

type SessionState =
  | { readonly status: 'restoring' }
  | { readonly status: 'signed-out'; readonly notice: string | null }
  | { readonly status: 'signed-in'; readonly identity: ApiKeyIdentity };

function initialSession(): SessionState {
  return storedKey() === null ? { status: 'signed-out', notice: null } : { status: 'restoring' };
}

/** The console: sign-in until a key is accepted, then the pages, each from the API alone. */
export function App() {
  const [session, setSession] = useState<SessionState>(initialSession);
  const route = useRoute();

  useEffect(() => {
    whenUnauthorized(() => {
      forgetKey();
      resetCatalog();
      setSession({
        status: 'signed-out',
        notice: 'The API no longer accepts your key (revoked, or the server changed). Sign in again.',
      });
    });
    const key = storedKey();
    if (key === null) return;
    identify(key)
      .then((identity) => {
        rememberKey(key);
        setSession({ status: 'signed-in', identity });
      })
      .catch((error: unknown) => {
        forgetKey();
        setSession({
          status: 'signed-out',
          notice:
            error instanceof ApiFailure && error.status === 401
              ? 'Your key is no longer accepted. Sign in again.'
              : `Could not check your key: ${describeFailure(error)}`,
        });
      });
  }, []);

  if (session.status === 'restoring') {
    return (
      <div class="login" role="status" aria-live="polite">
        Checking your key…
      </div>
    );
  }
  if (session.status === 'signed-out') {
    return (
      <LoginPage
        notice={session.notice}
        onSignedIn={(key, identity) => {
          rememberKey(key);
          setSession({ status: 'signed-in', identity });
        }}
      />
    );
  }
  return (
    <Shell
      identity={session.identity}
      route={route}
      onSignOut={() => {
        forgetKey();
        resetCatalog();
        setSession({ status: 'signed-out', notice: null });
      }}
    />
  );
}

function pageOf(route: Route, identity: ApiKeyIdentity) {
  switch (route.page) {
    case 'overview':
      return <OverviewPage />;
    case 'findings':
      return <FindingsPage query={route.query} />;
    case 'resources':
      return <ResourcesPage query={route.query} />;
    case 'resource':
      return <ResourcePage id={route.id} query={route.query} canChange={identity.role === 'admin'} />;
    case 'drift':
      return <DriftPage query={route.query} />;
    case 'scans':
      return <ScansPage query={route.query} canStart={identity.role === 'admin'} />;
    case 'scan':
      return <ScanPage id={route.id} />;
    case 'alerts':
      return <AlertsPage query={route.query} />;
    case 'exceptions':
      return <ExceptionsPage query={route.query} canChange={identity.role === 'admin'} />;
    case 'exception':
      return <ExceptionPage id={route.name} canChange={identity.role === 'admin'} />;
    case 'control':
      return <ControlPage id={route.name} query={route.query} />;
    case 'accounts':
      return <AccountsPage />;
    case 'not-found':
      return <NotFoundPage path={route.path} />;
  }
}

function isCurrent(
  page: PageName | 'not-found',
  item: { page: PageName; alsoFor?: readonly PageName[] },
): boolean {
  return item.page === page || (item.alsoFor?.includes(page as PageName) ?? false);
}

/** Header (identity, theme, sign-out), navigation and the current page. */
function Shell({
  identity,
  route,
  onSignOut,
}: {
  identity: ApiKeyIdentity;
  route: Route;
  onSignOut: () => void;
}) {
  const main = useRef<HTMLElement>(null);
  const [theme, setTheme] = useState<ThemeChoice>(savedTheme);
  const previousPage = useRef<string | null>(null);
  const detailKey =
    route.page === 'resource' || route.page === 'scan'
      ? `${route.page}/${route.id.toString()}`
      : route.page === 'exception' || route.page === 'control'
        ? `${route.page}/${route.name}`
        : route.page;

  // A new page moves focus to its title, so keyboard and screen-reader users start there; a filter
  // change on the same page leaves focus where it is.
  useEffect(() => {
    if (previousPage.current !== null && previousPage.current !== detailKey) {
      const heading = main.current?.querySelector('h1');
      heading?.focus();
      window.scrollTo(0, 0);
    }
    previousPage.current = detailKey;
  }, [detailKey]);

  useEffect(() => {
    const title = main.current?.querySelector('h1')?.textContent ?? '';
    document.title = title === '' ? 'Seed console' : `${title} · Seed`;
  });

  return (
    <div class="app">
      <a
        class="skip-link"
        href="#main"
        onClick={(event) => {
          event.preventDefault();
          main.current?.querySelector('h1')?.focus();
        }}
      >
        Skip to content
      </a>
      <header class="topbar">
        <a class="brand" href={routeHref('/')}>
          <img src="/console/favicon.svg" alt="" width={28} height={28} />
          <span>Seed</span>
          <span class="brand-tagline">Encryption audit</span>
        </a>
        <div class="topbar-tools">
          <span class="identity" title={`API key ${identity.id.toString()}`}>
            <span class={`badge role-${identity.role}`}>
              {identity.role === 'admin' ? 'Admin' : 'Reader'}
            </span>
            <span class="identity-name">{identity.name}</span>
          </span>
          <span class="field field-inline">
            <label for="theme">Theme</label>
            <select
              id="theme"
              value={theme}
              onChange={(event) => {
                const choice = event.currentTarget.value as ThemeChoice;
                applyTheme(choice);
                setTheme(choice);
              }}
            >
              <option value="system">System</option>
              <option value="light">Light</option>
              <option value="dark">Dark</option>
            </select>
          </span>
          <button type="button" class="button button-quiet" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      </header>
      <div class="layout">
        <nav class="sidebar" aria-label="Main">
          {NAVIGATION.map((group) => (
            <div key={group.label} class="nav-group">
              <p class="nav-group-label" id={`nav-${group.label.toLowerCase()}`}>
                {group.label}
              </p>
              <ul aria-labelledby={`nav-${group.label.toLowerCase()}`}>
                {group.items.map((item) => (
                  <li key={item.page}>
                    <a
                      href={routeHref(item.path)}
                      class="nav-link"
                      aria-current={isCurrent(route.page, item) ? 'page' : undefined}
                    >
                      {item.label}
                    </a>
                  </li>
                ))}
              </ul>
            </div>
          ))}
          <p class="nav-footer">
            <a href="/docs" target="_blank" rel="noopener noreferrer">
              API reference
            </a>
          </p>
        </nav>
        <main id="main" ref={main} tabIndex={-1}>
          {pageOf(route, identity)}
        </main>
      </div>
    </div>
  );
}
