/** The colour theme: the system's (prefers-color-scheme) unless the person picked one. */
export type ThemeChoice = 'system' | 'light' | 'dark';

/** A display preference, not a secret: it may outlive the tab. */
const STORAGE_KEY = 'seed.console.theme';

export function savedTheme(): ThemeChoice {
  try {
    const value = window.localStorage.getItem(STORAGE_KEY);
    return value === 'light' || value === 'dark' ? value : 'system';
  } catch {
    return 'system';
  }
}

/** Applies a choice to the page (`data-theme` on <html>; none follows the system) and keeps it. */
export function applyTheme(choice: ThemeChoice): void {
  const root = document.documentElement;
  if (choice === 'system') delete root.dataset.theme;
  else root.dataset.theme = choice;
  try {
    if (choice === 'system') window.localStorage.removeItem(STORAGE_KEY);
    else window.localStorage.setItem(STORAGE_KEY, choice);
  } catch {
    // Storage disabled: the choice lasts until the page is closed.
  }
}
