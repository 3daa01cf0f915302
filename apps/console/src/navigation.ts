import type { PageName } from './router';

/** One entry of the main navigation. */
export interface NavItem {
  readonly page: PageName;
  readonly label: string;
  readonly path: string;
  /** Detail pages that count as this entry (a resource under Resources). */
  readonly alsoFor?: readonly PageName[];
}

export interface NavGroup {
  readonly label: string;
  readonly items: readonly NavItem[];
}

/**
 * The main navigation, grouped by what a person comes to do; "Settings" (accounts) is last. A
 * control's page opens from the overview's scores, so it counts under Overview.
 */
export const NAVIGATION: readonly NavGroup[] = [
  {
    label: 'Posture',
    items: [
      { page: 'overview', label: 'Overview', path: '/', alsoFor: ['control'] },
      { page: 'findings', label: 'Findings', path: '/findings' },
      { page: 'resources', label: 'Resources', path: '/resources', alsoFor: ['resource'] },
      { page: 'drift', label: 'Drift', path: '/drift' },
    ],
  },
  {
    label: 'Operations',
    items: [
      { page: 'scans', label: 'Scans', path: '/scans', alsoFor: ['scan'] },
      { page: 'alerts', label: 'Alerts', path: '/alerts' },
    ],
  },
  {
    label: 'Governance',
    items: [{ page: 'exceptions', label: 'Exceptions', path: '/exceptions', alsoFor: ['exception'] }],
  },
  {
    label: 'Settings',
    items: [{ page: 'accounts', label: 'Accounts', path: '/accounts' }],
  },
];
