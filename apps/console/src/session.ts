/**
 * The API key of the signed-in person. It lives in this module's memory and in the tab's
 * sessionStorage (so a reload keeps the session and closing the tab ends it); never in
 * localStorage, a cookie or a URL.
 */
const STORAGE_KEY = 'seed.console.apiKey';

let key: string | null = null;

function storage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    // Storage can be disabled by the browser's settings: the key then lives in memory only.
    return null;
  }
}

/** The key requests are made with, or null when signed out. */
export function currentKey(): string | null {
  return key;
}

export function rememberKey(value: string): void {
  key = value;
  storage()?.setItem(STORAGE_KEY, value);
}

export function forgetKey(): void {
  key = null;
  storage()?.removeItem(STORAGE_KEY);
}

/** The key this tab signed in with before a reload, if any. */
export function storedKey(): string | null {
  return storage()?.getItem(STORAGE_KEY) ?? null;
}
