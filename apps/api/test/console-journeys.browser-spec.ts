import { readFile } from 'node:fs/promises';

import { parse } from 'csv-parse/sync';
import type { Browser, Page } from 'playwright-core';
import type { z } from 'zod';

import type { FINDING } from '../src/findings/findings.schemas';
import type { HISTORY_PAGE } from '../src/resources/resources.schemas';
import type { SCAN } from '../src/scans/scans.schemas';
import type { SUMMARY } from '../src/summary/summary.schemas';
import {
  afterAnswer,
  CONSOLE_SESSION_KEY,
  type ConsoleTab,
  launchChromium,
  openConsole,
  postFromTab,
  screenshot,
  settled,
  signIn,
  visit,
} from './testing/browser';
import { type ConsoleScenario, startConsoleScenario } from './testing/console-scenario';
import { walkPages } from './testing/pages';

type Finding = z.input<typeof FINDING>;
type Summary = z.input<typeof SUMMARY>;
type Scan = z.input<typeof SCAN>;
type HistoryPage = z.input<typeof HISTORY_PAGE>;

// A page load, a click and the API behind it, in a browser on a shared 2-core machine.
jest.setTimeout(60_000);

/** A person using the console: signing in with each role, reading, filtering, exporting, scanning. */
describe('the console, as a person uses it', () => {
  let scenario: ConsoleScenario;
  let browser: Browser;

  beforeAll(async () => {
    scenario = await startConsoleScenario();
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser.close();
    await scenario.close();
  });

  describe('as a reader', () => {
    let tab: ConsoleTab;

    beforeAll(async () => {
      tab = await openConsole(browser, scenario.baseUrl);
      await signIn(tab.page, scenario.reader.token);
      await settled(tab.page);
    });

    afterAll(async () => {
      await tab.close();
    });

    it('refuses a key that is not one, without calling it valid', async () => {
      const other = await openConsole(browser, scenario.baseUrl);
      try {
        await other.page.getByLabel('API key').fill(`seed_${'A'.repeat(43)}`);
        await other.page.getByRole('button', { name: 'Sign in' }).click();
        await other.page.getByText('The API refused this key').waitFor();
        expect(await other.page.getByRole('navigation', { name: 'Main' }).count()).toBe(0);
      } finally {
        await other.close();
      }
    });

    it('says who is signed in, with the reader role', async () => {
      await expect(tab.page.locator('.identity').innerText()).resolves.toContain('Reader');
      await expect(tab.page.locator('.identity').innerText()).resolves.toContain('console reader');
    });

    it('shows the overview with the numbers the API gives', async () => {
      const summary = await scenario.readerGet<Summary>('/v1/summary?scans=30');
      const page = tab.page;
      await expect(page.locator('.kpi').first().locator('.kpi-value').innerText()).resolves.toBe(
        summary.resources.total.toString(),
      );
      const bars = await page.locator('.bar-row').allInnerTexts();
      expect(bars.map((text) => text.replace(/\s+/g, ' ').trim())).toEqual(
        (['critical', 'high', 'medium', 'low', 'info'] as const).map(
          (severity) =>
            `${severity[0]!.toUpperCase()}${severity.slice(1)} ${summary.openFindings.bySeverity[severity].toString()}`,
        ),
      );
      for (const row of summary.byAccountRegion) {
        for (const [value, count] of Object.entries(row.resourcesByClass)) {
          const cell = page
            .locator(`.heatmap tr:has(th.heatmap-region:text-is("${row.region}"))`)
            .locator(`.heat-${value}`);
          const texts = await cell.allInnerTexts();
          expect(texts).toContain(count.toString());
        }
      }
      await expect(page.locator('.chart-point').count()).resolves.toBe(summary.trend.length);
      await expect(page.locator('#last-scan-title').innerText()).resolves.toBe(
        `Last scan: #${scenario.audit.second.id.toString()}`,
      );
    });

    it('filters findings as the API does, and pages through them with its cursors', async () => {
      const page = tab.page;
      await visit(page, '#/findings');
      await afterAnswer(page, 'status=all', () =>
        page
          .getByLabel('Status')
          .selectOption('all')
          .then(() => undefined),
      );
      await afterAnswer(page, 'limit=10', () =>
        page
          .getByLabel('Per page')
          .selectOption('10')
          .then(() => undefined),
      );
      await page.locator('#f-kind').click();
      await afterAnswer(page, 'kind=bucket', () =>
        page.getByRole('group', { name: 'Kind' }).getByLabel('Bucket', { exact: true }).check(),
      );
      expect(page.url()).toContain('#/findings?status=all&limit=10&kind=bucket');
      const expected = (
        await walkPages(scenario.api, scenario.reader.token, '/v1/findings?status=all&kind=bucket', 10)
      ).items as Finding[];
      expect(expected.length).toBeGreaterThan(10);
      const shown: string[] = [];
      for (let pageNumber = 1; ; pageNumber += 1) {
        await expect(page.locator('.pager-position').innerText()).resolves.toContain(
          `Page ${pageNumber.toString()}`,
        );
        shown.push(...(await findingIds(page)));
        const next = page.getByRole('button', { name: 'Next' });
        if (await next.isDisabled()) break;
        await afterAnswer(page, 'cursor=', () => next.click());
      }
      expect(shown).toEqual(expected.map((finding) => finding.id));
      await afterAnswer(page, '/v1/findings', () => page.getByRole('button', { name: 'First' }).click());
      await expect(page.locator('.pager-position').innerText()).resolves.toContain('Page 1');
    });

    it('opens a resource from its finding and shows its timeline with the request ids that prove it', async () => {
      await visit(tab.page, `#/findings?namePrefix=${scenario.audit.weakened}`);
      await tab.page.getByRole('link', { name: scenario.audit.weakened }).first().click();
      await settled(tab.page);
      await expect(tab.page.locator('h1').innerText()).resolves.toBe(scenario.audit.weakened);
      const id = Number(/#\/resources\/(\d+)/.exec(tab.page.url())?.[1]);
      const history = await scenario.readerGet<HistoryPage>(
        `/v1/resources/${id.toString()}/history?limit=100`,
      );
      const items = tab.page.locator('.timeline-item[data-change-id]');
      await expect(items.count()).resolves.toBe(history.items.length);
      await expect(tab.page.locator('.request-id').allInnerTexts()).resolves.toEqual(
        history.items.map((change) => change.requestId),
      );
      const newest = await items.first().innerText();
      expect(newest).toContain('Weakened');
      expect(newest.replace(/\s+/g, ' ')).toContain('class KMS (customer key) → Unencrypted');
      await expect(tab.page.locator('#open-findings').innerText()).resolves.toContain(
        'OSS bucket has no server-side encryption',
      );
      // What was true a minute from now: the last observation, by the last scan (UTC, as the tab).
      const later = new Date(Date.now() + 60_000).toISOString().slice(0, 16);
      await tab.page.getByLabel('What was true at').fill(later);
      await afterAnswer(tab.page, 'at=', () => tab.page.getByRole('button', { name: 'Look up' }).click());
      const answer = (await tab.page.locator('.state-at-answer').innerText()).replace(/\s+/g, ' ');
      expect(answer).toContain(`Unencrypted (observation #${history.items[0]!.changeId.toString()}`);
      expect(answer).toContain(`Last observed by scan #${scenario.audit.second.id.toString()}.`);
    });

    it('downloads a CSV holding exactly the findings the filters match', async () => {
      await visit(tab.page, '#/findings?status=all&severity=medium');
      const [download] = await Promise.all([
        tab.page.waitForEvent('download'),
        tab.page.getByRole('button', { name: 'Download CSV' }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/^seed-findings-all-medium-\d{8}\.csv$/);
      const records: string[][] = parse(await readFile(await download.path(), 'utf8'));
      const [header, ...rows] = records;
      const expected = (
        await walkPages(scenario.api, scenario.reader.token, '/v1/findings?status=all&severity=medium', 500)
      ).items as Finding[];
      expect(expected.length).toBeGreaterThan(0);
      const column = (name: string) => header!.indexOf(name);
      expect(rows.map((row) => row[column('uid')]).sort()).toEqual(
        expected.map((finding) => finding.id).sort(),
      );
      expect(new Set(rows.map((row) => row[column('severity')]))).toEqual(new Set(['medium']));
      await tab.page.getByText(`Downloaded ${download.suggestedFilename()}.`).waitFor();
    });

    it('filters by several values of a filter, showing the rows the API gives for the same comma lists', async () => {
      const page = tab.page;
      await visit(page, '#/findings?status=all&limit=100');
      await page.locator('#f-severity').click();
      const severity = page.getByRole('group', { name: 'Severity' });
      await afterAnswer(page, 'severity=high', () => severity.getByLabel('High').check());
      await afterAnswer(page, 'severity=high%2Cmedium', () => severity.getByLabel('Medium').check());
      await page.keyboard.press('Escape');
      await page.locator('#f-kind').click();
      const kind = page.getByRole('group', { name: 'Kind' });
      await afterAnswer(page, 'kind=bucket', () => kind.getByLabel('Bucket', { exact: true }).check());
      await afterAnswer(page, 'kind=bucket%2Ctable_bucket', () => kind.getByLabel('Table bucket').check());
      await expect(page.locator('#f-kind').innerText()).resolves.toContain('Bucket, Table bucket');
      await screenshot(page, 'findings-multi-value-filter');
      await page.keyboard.press('Escape');
      expect(decodeURIComponent(page.url())).toContain('severity=high,medium');
      expect(decodeURIComponent(page.url())).toContain('kind=bucket,table_bucket');
      const expected = (
        await walkPages(
          scenario.api,
          scenario.reader.token,
          '/v1/findings?status=all&severity=high,medium&kind=bucket,table_bucket',
          500,
        )
      ).items as Finding[];
      expect(expected.length).toBeGreaterThan(1);
      expect(new Set(expected.map((finding) => finding.severity))).toEqual(new Set(['high', 'medium']));
      expect(await findingIds(page)).toEqual(expected.map((finding) => finding.id));
      // The same view from the shared link, in a tab of its own.
      const shared = await openConsole(browser, scenario.baseUrl);
      try {
        await signIn(shared.page, scenario.reader.token);
        await visit(shared.page, new URL(page.url()).hash);
        expect(await findingIds(shared.page)).toEqual(expected.map((finding) => finding.id));
      } finally {
        await shared.close();
      }
    });

    it('downloads OCSF JSON Lines holding exactly the filtered findings, with the key in a header only', async () => {
      const page = tab.page;
      const query = 'status=all&rule=non_kms,unverifiable&minSeverity=medium&sort=name';
      await visit(page, `#/findings?${query}`);
      const exportRequests: { url: string; authorization: string | undefined }[] = [];
      const onRequest = (request: { url(): string; headers(): Record<string, string> }) => {
        if (request.url().includes('/v1/exports/findings')) {
          exportRequests.push({ url: request.url(), authorization: request.headers().authorization });
        }
      };
      page.on('request', onRequest);
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Download OCSF' }).click(),
      ]);
      page.off('request', onRequest);
      expect(download.suggestedFilename()).toMatch(
        /^seed-findings-all-medium-non_kms_unverifiable-\d{8}\.jsonl$/,
      );
      const events = (await readFile(await download.path(), 'utf8'))
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as { class_uid: number; finding_info: { uid: string } });
      const expected = (
        await walkPages(
          scenario.api,
          scenario.reader.token,
          '/v1/findings?status=all&rule=non_kms,unverifiable&minSeverity=medium',
          500,
        )
      ).items as Finding[];
      expect(expected.length).toBeGreaterThan(0);
      expect(events.every((event) => event.class_uid === 2003)).toBe(true);
      expect(events.map((event) => event.finding_info.uid).sort()).toEqual(
        expected.map((finding) => finding.findingKey).sort(),
      );
      expect(exportRequests).toHaveLength(1);
      expect(exportRequests[0]!.authorization).toBe(`Bearer ${scenario.reader.token}`);
      expect(exportRequests[0]!.url).not.toContain(scenario.reader.token.slice(5));
      const sent = new URL(exportRequests[0]!.url).searchParams;
      expect(Object.fromEntries(sent)).toEqual({
        format: 'ocsf',
        status: 'all',
        rule: 'non_kms,unverifiable',
        minSeverity: 'medium',
      });
    });

    it('shows the alerts one delivery carried', async () => {
      await visit(tab.page, '#/alerts?status=failed');
      await tab.page.getByRole('button', { name: 'Show alerts' }).first().click();
      await tab.page.locator('.alert-items li').first().waitFor();
      const items = await tab.page.locator('.alert-items li').count();
      expect(items).toBeGreaterThan(0);
    });

    it('offers no way to start a scan, and the server refuses a forged one: 403', async () => {
      await visit(tab.page, '#/scans');
      await expect(tab.page.getByRole('button', { name: 'Start a scan' }).count()).resolves.toBe(0);
      const errorsBefore = tab.errors.length;
      const status = await postFromTab(tab.page, '/v1/scans');
      expect(status).toBe(403);
      // Chromium logs every refused request; this one was forged on purpose.
      expect(tab.errors.splice(errorsBefore)).toEqual([
        'Failed to load resource: the server responded with a status of 403 (Forbidden)',
      ]);
    });

    it('keeps the key in this tab’s sessionStorage only: no localStorage, cookie or URL', async () => {
      const token = scenario.reader.token;
      const storage = await tab.page.evaluate<{ session: string | null; local: string; cookie: string }>(
        `({ session: sessionStorage.getItem(${JSON.stringify(CONSOLE_SESSION_KEY)}), local: JSON.stringify(Object.entries(localStorage)), cookie: document.cookie })`,
      );
      expect(storage.session).toBe(token);
      expect(storage.local).not.toContain(token.slice(5));
      expect(storage.cookie).toBe('');
      expect(await tab.context.cookies()).toEqual([]);
      expect(tab.page.url()).not.toContain(token.slice(5));
    });

    it('keeps the theme a person picks, across a reload that keeps the session', async () => {
      await tab.page.getByLabel('Theme').selectOption('dark');
      await expect(tab.page.locator('html').getAttribute('data-theme')).resolves.toBe('dark');
      await tab.page.reload();
      await settled(tab.page);
      await expect(tab.page.locator('html').getAttribute('data-theme')).resolves.toBe('dark');
      await expect(tab.page.getByLabel('Theme').inputValue()).resolves.toBe('dark');
      const background = await tab.page.evaluate(
        `getComputedStyle(document.documentElement).backgroundColor`,
      );
      expect(background).toBe('rgb(13, 17, 23)');
      await tab.page.getByLabel('Theme').selectOption('system');
      await expect(tab.page.locator('html').getAttribute('data-theme')).resolves.toBeNull();
    });

    it('works from the keyboard alone: skip link, navigation, a filter', async () => {
      const page = tab.page;
      await visit(page, '#/');
      const focused = () =>
        page.evaluate<string>(
          `(document.activeElement?.id || '') + '|' + (document.activeElement?.textContent ?? '').trim()`,
        );
      // A fresh load: focus starts at the top of the page.
      await page.reload();
      await settled(page);
      await page.keyboard.press('Tab');
      await expect(focused()).resolves.toBe('|Skip to content');
      await page.keyboard.press('Enter');
      await expect(focused()).resolves.toBe('|Overview');
      // From the top again, along the header and the navigation to Findings.
      await page.reload();
      await settled(page);
      for (let presses = 0; presses < 20 && (await focused()) !== '|Findings'; presses += 1) {
        await page.keyboard.press('Tab');
      }
      await expect(focused()).resolves.toBe('|Findings');
      await page.keyboard.press('Enter');
      await settled(page);
      // A new page puts focus on its title.
      await expect(focused()).resolves.toBe('|Findings');
      for (let presses = 0; presses < 10 && !(await focused()).startsWith('f-severity|'); presses += 1) {
        await page.keyboard.press('Tab');
      }
      // The severity list opens with Enter; Tab reaches its first box, Space checks it.
      await page.keyboard.press('Enter');
      await page.keyboard.press('Tab');
      await afterAnswer(page, 'severity=critical', () => page.keyboard.press('Space'));
      expect(page.url()).toContain('severity=critical');
      await page.keyboard.press('Escape');
      await expect(focused()).resolves.toBe('f-severity|Severity: Critical');
    });

    it('logged no error in the browser console', () => {
      expect(tab.errors).toEqual([]);
    });
  });

  describe('as an admin', () => {
    it('starts a scan and watches it run to its end', async () => {
      const tab = await openConsole(browser, scenario.baseUrl);
      try {
        await signIn(tab.page, scenario.admin.token);
        await expect(tab.page.locator('.identity').innerText()).resolves.toContain('Admin');
        await visit(tab.page, '#/scans');
        await tab.page.getByRole('button', { name: 'Start a scan' }).click();
        const notice = tab.page.locator('.state-ok');
        await notice.waitFor();
        const started = Number(/#(\d+)/.exec(await notice.innerText())?.[1]);
        expect(await notice.innerText()).toContain('Started scan');
        const row = tab.page.locator(`tr[data-scan-id="${started.toString()}"]`);
        await row.waitFor();
        const finished = await scenario.audit.scanning.runtime.waitForScan(started);
        // The page reads the list again every 2 s while a scan on it runs.
        await row.locator(`.scan-${finished.status}`).waitFor({ timeout: 15_000 });
        const stored = await scenario.readerGet<Scan>(`/v1/scans/${started.toString()}`);
        expect(stored).toMatchObject({ trigger: 'api', status: finished.status });
        expect(tab.errors).toEqual([]);
      } finally {
        await tab.close();
      }
    });
  });

  describe('with an accepted risk', () => {
    it('shows a finding an active exception suppresses as suppressed, with the exception id, never as open', async () => {
      const alice = await scenario.api.issueKey('admin', 'alice');
      const bob = await scenario.api.issueKey('admin', 'bob');
      const created = await scenario.api.http
        .post('/v1/exceptions')
        .set('Authorization', `Bearer ${alice.token}`)
        .send({
          scope: { type: 'resource', resourceKey: `oss:${scenario.audit.weakened}` },
          controlIds: [],
          findingRules: ['unencrypted'],
          reason: 'Scratch bucket emptied nightly; encryption lands with SEC-7',
          owner: 'alice@example.com',
          approver: 'bob',
          ticketUrl: 'https://jira.example.com/browse/SEC-7',
          expiresAt: new Date(Date.now() + 10 * 86_400_000).toISOString(),
        })
        .expect(201);
      const exceptionId = (created.body as { id: string }).id;
      await scenario.api.http
        .post(`/v1/exceptions/${exceptionId}/approve`)
        .set('Authorization', `Bearer ${bob.token}`)
        .expect(200);
      // Exceptions apply when a scan evaluates the fleet.
      await scenario.audit.scanning.runScan();
      const suppressed = (
        await scenario.readerGet<{ items: Finding[] }>(
          `/v1/findings?suppressed=true&namePrefix=${scenario.audit.weakened}`,
        )
      ).items;
      expect(suppressed).toMatchObject([
        { rule: 'unencrypted', status: 'open', suppressed: true, exceptionId },
      ]);

      const tab = await openConsole(browser, scenario.baseUrl);
      try {
        await signIn(tab.page, scenario.reader.token);
        await visit(tab.page, `#/findings?namePrefix=${scenario.audit.weakened}`);
        const row = tab.page.locator(`tr[data-finding-id="${suppressed[0]!.id}"]`);
        const status = row.locator('td').last();
        await expect(status.innerText()).resolves.toBe(`Suppressed\nby exception ${exceptionId}`);
        await expect(status.locator('[data-exception-id]').getAttribute('data-exception-id')).resolves.toBe(
          exceptionId,
        );
        await screenshot(tab.page, 'findings-suppressed');
        expect(tab.errors).toEqual([]);
      } finally {
        await tab.close();
      }
    });
  });

  describe('when the key stops working', () => {
    it('brings the sign-in back at the next request the API refuses (401)', async () => {
      const doomed = await scenario.api.issueKey('reader', 'soon revoked');
      const tab = await openConsole(browser, scenario.baseUrl);
      try {
        await signIn(tab.page, doomed.token);
        await settled(tab.page);
        await scenario.audit.scanning.database.dataSource.query(
          `UPDATE "api_keys" SET "revoked_at" = now() WHERE "id" = $1`,
          [doomed.id],
        );
        // The API drops the key's row it kept when the database announces the revocation.
        await waitUntilRefused(scenario.baseUrl, doomed.token);
        await tab.page.getByRole('link', { name: 'Findings' }).click();
        await tab.page.getByText('The API no longer accepts your key').waitFor();
        await expect(tab.page.getByLabel('API key').isVisible()).resolves.toBe(true);
        await expect(
          tab.page.evaluate(`sessionStorage.getItem(${JSON.stringify(CONSOLE_SESSION_KEY)})`),
        ).resolves.toBeNull();
      } finally {
        await tab.close();
      }
    });
  });
});

/** The finding ids of the table's rows, top to bottom. */
async function findingIds(page: Page): Promise<string[]> {
  const rows = page.locator('tr[data-finding-id]');
  const ids: string[] = [];
  for (let index = 0; index < (await rows.count()); index += 1) {
    ids.push((await rows.nth(index).getAttribute('data-finding-id')) ?? '');
  }
  return ids;
}

/** Waits (2 s at most) until the API refuses `token`: its revocation announced to the process. */
async function waitUntilRefused(baseUrl: string, token: string): Promise<void> {
  const deadline = Date.now() + 2_000;
  for (;;) {
    const response = await fetch(`${baseUrl}/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    if (response.status === 401) return;
    if (Date.now() >= deadline) throw new Error(`The API still answers ${response.status.toString()}`);
  }
}
