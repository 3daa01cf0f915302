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
 * The main navigation, grouped by what a person comes to do. Pages that need APIs not built yet
 * slot in as their own groups when those APIs exist: "Governance" (controls, exceptions) after
 * Operations; "Settings" (accounts) is last. Nothing is listed before its API is.
 */
export const NAVIGATION: readonly NavGroup[] = [
  {
    label: 'Posture',
    items: [
      { page: 'overview', label: 'Overview', path: '/' },
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
    label: 'Settings',
    items: [{ page: 'accounts', label: 'Accounts', path: '/accounts' }],
  },
];
