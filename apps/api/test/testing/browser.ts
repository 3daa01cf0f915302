import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

/** Debian's Chromium (`apt-get install -y chromium`; `.ci/run` installs it when missing). */
export const CHROMIUM_PATH = process.env.SEED_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Flags for Chromium on these machines: running as root needs --no-sandbox; the rest keep it from
 * calling home (refused here, many times over, slowing every start).
 */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Where the console keeps the key: the tab's sessionStorage under this name, nowhere else. */
export const CONSOLE_SESSION_KEY = 'seed.console.apiKey';

/**
 * A POST sent from the page with the tab's own key, as a person could forge one past the UI;
 * answers its HTTP status.
 */
export function postFromTab(page: Page, path: string, body?: unknown): Promise<number> {
  const headers = `{ ${body === undefined ? '' : "'Content-Type': 'application/json', "}Authorization: 'Bearer ' + sessionStorage.getItem(${JSON.stringify(CONSOLE_SESSION_KEY)}) }`;
  const sent = body === undefined ? '' : `, body: ${JSON.stringify(JSON.stringify(body))}`;
  return page.evaluate<number>(
    `fetch(${JSON.stringify(path)}, { method: 'POST', headers: ${headers}${sent} }).then((response) => response.status)`,
  );
}

/** Where the run writes the console's screenshots (git-ignored). */
export const SCREENSHOTS = join(__dirname, '..', '..', '..', '..', 'test-results', 'console');

/** A real headless Chromium, driven by playwright-core. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`No Chromium at ${CHROMIUM_PATH}: apt-get install -y chromium (or set SEED_CHROMIUM)`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

/** A browser tab on the console, with what the page complained about. */
export interface ConsoleTab {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Console errors (a blocked script or style, a failed request, an exception). */
  readonly errors: string[];
  close(): Promise<void>;
}

export type ColorScheme = 'light' | 'dark';

/** A fresh tab (no storage) on `/console/`, in UTC and US English, in the given colour scheme. */
export async function openConsole(
  browser: Browser,
  baseUrl: string,
  colorScheme: ColorScheme = 'light',
): Promise<ConsoleTab> {
  const context = await browser.newContext({
    viewport: { width: 1400, height: 900 },
    timezoneId: 'UTC',
    locale: 'en-US',
    colorScheme,
    reducedMotion: 'reduce',
    acceptDownloads: true,
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  await page.goto(`${baseUrl}/console/`);
  return { context, page, errors, close: () => context.close() };
}

/** Signs in through the form, as a person pastes a key, and waits for the overview. */
export async function signIn(page: Page, token: string): Promise<void> {
  await page.getByLabel('API key').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}

/**
 * Waits until the page shows its title and nothing is loading. (Polls locators: Playwright's
 * waitForFunction evaluates its predicate with `eval`, which the console's CSP refuses.)
 */
export async function settled(page: Page, timeoutMs = 20_000): Promise<void> {
  await page.locator('h1').first().waitFor({ timeout: timeoutMs });
  const deadline = Date.now() + timeoutMs;
  while ((await page.locator('.state-loading').count()) > 0) {
    if (Date.now() > deadline)
      throw new Error(`${page.url()} was still loading after ${timeoutMs.toString()} ms`);
    await page.waitForTimeout(50);
  }
}

/**
 * Goes to a console route as a link would (`#/findings?...`), and waits for the new view to have
 * rendered and loaded. The route changes on `hashchange`, a task after the assignment; the view
 * renders within the frame after it.
 */
export async function visit(page: Page, hash: string): Promise<void> {
  await page.evaluate(`new Promise((resolve) => {
    const target = ${JSON.stringify(hash)};
    if (window.location.hash === target) { resolve(); return; }
    window.addEventListener('hashchange', () => requestAnimationFrame(() => setTimeout(resolve, 0)), { once: true });
    window.location.hash = target;
  })`);
  await settled(page);
}

/**
 * Does `action` and waits for the page to have shown the answer of the API call it causes (the
 * first response whose URL contains `path`): a page that has not started loading yet looks settled.
 */
export async function afterAnswer(page: Page, path: string, action: () => Promise<void>): Promise<void> {
  const answered = page.waitForResponse((response) => response.url().includes(path));
  await action();
  await answered;
  await settled(page);
}

/** One accessibility rule broken on a page, as axe reports it. */
export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly targets: string[];
}

let axeSource: string | null = null;

/**
 * Runs axe-core (WCAG 2.x A and AA rules, and best practices) on the page as it is. The script is
 * evaluated through the DevTools protocol, which the page's CSP does not govern, so the page keeps
 * its real policy.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(axeSource);
  const results = await page.evaluate(`axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
      resultTypes: ['violations'],
    }).then((result) => result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact ?? null,
      help: violation.help,
      targets: violation.nodes.map((node) => node.target.join(' ')),
    })))`);
  return results as AxeViolation[];
}

/** The serious and critical ones: what the console must never have. */
export function severe(violations: readonly AxeViolation[]): AxeViolation[] {
  return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
}

/** A full-page PNG in `test-results/console/<name>.png`. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
