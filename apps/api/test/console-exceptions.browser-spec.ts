import type { Browser, Locator } from 'playwright-core';
import type { z } from 'zod';

import type { CONTROL_DETAIL, CONTROLS_REPORT } from '../src/controls/controls.schemas';
import type { EXCEPTION_LIST } from '../src/exceptions/exceptions.schemas';
import type { FINDING_DETAIL } from '../src/findings/findings.schemas';
import type { RESOURCE_DETAIL } from '../src/resources/resources.schemas';
import {
  afterAnswer,
  axeViolations,
  type ColorScheme,
  type ConsoleTab,
  launchChromium,
  openConsole,
  postFromTab,
  screenshot,
  settled,
  severe,
  signIn,
  visit,
} from './testing/browser';
import { type ConsoleScenario, startConsoleScenario } from './testing/console-scenario';

type ResourceDetail = z.input<typeof RESOURCE_DETAIL>;
type FindingDetail = z.input<typeof FINDING_DETAIL>;
type ControlsReport = z.input<typeof CONTROLS_REPORT>;
type ControlDetail = z.input<typeof CONTROL_DETAIL>;
type ExceptionList = z.input<typeof EXCEPTION_LIST>;

// A page load, a click and the API behind it (and two scans), in a browser on a shared 2-core machine.
jest.setTimeout(90_000);

/** The second admin, who approves what the console admin asks for. */
const APPROVER = 'second admin';
/** A week ahead: within the default expiring-soon window (14 days). */
const WEEK_MS = 7 * 86_400_000;

const normalised = (text: string) => text.replace(/\s+/g, ' ').trim();

/** `83%` as the console shows the API's score; `–` for none. */
const percent = (score: number | null) => (score === null ? '–' : `${Math.round(score * 100).toString()}%`);

/**
 * Exceptions in the console, as people use them: an admin asks for one from a finding, the server
 * refuses the creator's own approval, a second admin approves, the next scan suppresses the finding
 * on its resource page, a revocation and the scan after open it again. Readers see no admin control
 * and the server refuses them. The overview's control scores and a resource's remediation are the
 * API's own.
 */
describe('exceptions, control scores and remediation in the console', () => {
  let scenario: ConsoleScenario;
  let browser: Browser;
  let approver: { id: number; token: string };
  let resourceId: number;
  let findingId: string;
  let exceptionId: string;

  beforeAll(async () => {
    scenario = await startConsoleScenario();
    browser = await launchChromium();
    approver = await scenario.api.issueKey('admin', APPROVER);
    const found = await scenario.readerGet<{ items: { id: number }[] }>(
      `/v1/resources?namePrefix=${scenario.audit.weakened}`,
    );
    resourceId = found.items[0]!.id;
    const resource = await scenario.readerGet<ResourceDetail>(`/v1/resources/${resourceId.toString()}`);
    findingId = resource.openFindings.find((finding) => finding.rule === 'unencrypted')!.id;
  }, 180_000);

  afterAll(async () => {
    await browser.close();
    await scenario.close();
  });

  /** The finding's card on its resource page. */
  const findingCard = (tab: ConsoleTab): Locator =>
    tab.page.locator(`.finding-card[data-finding-id="${findingId}"]`);

  describe('as an admin', () => {
    let creator: ConsoleTab;
    let second: ConsoleTab;

    beforeAll(async () => {
      creator = await openConsole(browser, scenario.baseUrl);
      await signIn(creator.page, scenario.admin.token);
      second = await openConsole(browser, scenario.baseUrl);
      await signIn(second.page, approver.token);
    });

    afterAll(async () => {
      await creator.close();
      await second.close();
    });

    it('asks for an exception from an open finding, with the API’s refusal shown next to its field', async () => {
      const page = creator.page;
      await visit(page, `#/resources/${resourceId.toString()}`);
      await expect(
        findingCard(creator)
          .locator('.badge', { hasText: /^Open$/ })
          .count(),
      ).resolves.toBe(1);
      await findingCard(creator).getByRole('link', { name: 'Request an exception' }).click();
      await settled(page);
      await expect(page.getByLabel('Resource key').inputValue()).resolves.toBe(
        `oss:${scenario.audit.weakened}`,
      );
      await expect(
        page.getByRole('checkbox', { name: 'Unencrypted', exact: true }).isChecked(),
      ).resolves.toBe(true);

      await page.getByLabel('Reason').fill('too short');
      await page.getByLabel('Owner').fill('data-platform@example.com');
      await page.getByLabel('Approver').fill(APPROVER);
      await page.getByLabel('Ticket').fill('https://tickets.example.com/SEC-7');
      const inAWeek = new Date(Date.now() + WEEK_MS).toISOString().slice(0, 16);
      await page.getByLabel('Expires at').fill(inAWeek);
      const refused = page.waitForResponse((response) => response.url().endsWith('/v1/exceptions'));
      await page.getByRole('button', { name: 'Create exception' }).click();
      const answer = await refused;
      expect(answer.status()).toBe(400);
      const body = (await answer.json()) as { message: string };
      const reasonProblem = page.locator('#exception-reason-problem');
      await reasonProblem.waitFor();
      expect(body.message).toContain(`reason: ${await reasonProblem.innerText()}`);
      await expect(page.getByLabel('Reason').getAttribute('aria-invalid')).resolves.toBe('true');
      await expect(page.evaluate('document.activeElement?.id')).resolves.toBe('exception-reason');
      // Chromium logs every refused request; this one was refused on purpose.
      expect(creator.errors.splice(0)).toEqual([
        'Failed to load resource: the server responded with a status of 400 (Bad Request)',
      ]);

      await page.getByLabel('Reason').fill('Legacy dump read once a year; encryption lands with SEC-7');
      await page.getByRole('button', { name: 'Create exception' }).click();
      await page.locator('h1', { hasText: 'Exception exc-' }).waitFor();
      await settled(page);
      exceptionId = /#\/exceptions\/(exc-[0-9a-f-]+)/.exec(page.url())?.[1] ?? '';
      expect(exceptionId).not.toBe('');
      await expect(page.locator('.page-header .badge').first().innerText()).resolves.toBe('Pending approval');
      expect(normalised(await page.locator('#changes').innerText())).toContain('Created by console admin');
    });

    it('shows the server’s refusal when the creator approves their own exception', async () => {
      const page = creator.page;
      const refused = page.waitForResponse((response) => response.url().endsWith('/approve'));
      await page.getByRole('button', { name: 'Approve' }).click();
      const answer = await refused;
      expect(answer.status()).toBe(403);
      const { message } = (await answer.json()) as { message: string };
      expect(message).toContain('who cannot approve it');
      await expect(page.locator('[data-outcome="refused"]').innerText()).resolves.toBe(
        `Not approved: ${message}`,
      );
      expect(creator.errors.splice(0)).toEqual([
        'Failed to load resource: the server responded with a status of 403 (Forbidden)',
      ]);
      await expect(page.locator('.page-header .badge').first().innerText()).resolves.toBe('Pending approval');
    });

    it('is approved by the approver it names, and lists as active and expiring soon', async () => {
      const page = second.page;
      await visit(page, `#/exceptions/${exceptionId}`);
      await page.getByRole('button', { name: 'Approve' }).click();
      await page.locator('[data-outcome="ok"]').waitFor();
      await page.locator('.page-header .badge', { hasText: 'Active' }).waitFor();
      expect(normalised(await page.locator('#changes').innerText())).toContain(`Approved by ${APPROVER}`);

      await visit(page, '#/exceptions?show=expiring');
      const row = page.locator(`tr[data-exception-id="${exceptionId}"]`);
      expect(normalised(await row.innerText())).toContain('Active Expiring soon');
      await expect(row.getByRole('link', { name: 'tickets.example.com/SEC-7' }).count()).resolves.toBe(1);
      const expiring = await scenario.readerGet<ExceptionList>('/v1/exceptions/expiring');
      await expect(page.locator('tr[data-exception-id]').count()).resolves.toBe(expiring.items.length);
    });

    it('shows the finding as suppressed, with its exception, after the next scan', async () => {
      await scenario.audit.scanning.runScan();
      const page = second.page;
      await visit(page, `#/resources/${resourceId.toString()}`);
      const card = findingCard(second);
      await expect(card.locator('.badge', { hasText: /^Open$/ }).count()).resolves.toBe(0);
      await expect(card.locator('.badge', { hasText: 'Suppressed' }).count()).resolves.toBe(1);
      await expect(card.getByRole('link', { name: `by exception ${exceptionId}` }).count()).resolves.toBe(1);
      await expect(card.getByRole('link', { name: 'Request an exception' }).count()).resolves.toBe(0);
      await expect(
        page.locator(`#resource-exceptions tr[data-exception-id="${exceptionId}"]`).count(),
      ).resolves.toBe(1);
    });

    it('is revoked with a reason (from the keyboard), and the finding is open again after the next scan', async () => {
      const page = creator.page;
      await visit(page, `#/exceptions/${exceptionId}`);
      // From the keyboard: type the reason, Enter sends it.
      await page.getByLabel('Reason to revoke').focus();
      await page.keyboard.type('SEC-7 done early');
      await page.keyboard.press('Enter');
      await page.locator('[data-outcome="ok"]').waitFor();
      await page.locator('.page-header .badge', { hasText: 'Revoked' }).waitFor();
      await expect(page.getByRole('button', { name: 'Approve' }).count()).resolves.toBe(0);
      const record = normalised(await page.locator('#changes').innerText());
      expect(record).toContain('Revoked by console admin');
      expect(record).toContain('“SEC-7 done early”');

      await scenario.audit.scanning.runScan();
      await visit(page, `#/resources/${resourceId.toString()}`);
      await expect(
        findingCard(creator)
          .locator('.badge', { hasText: /^Open$/ })
          .count(),
      ).resolves.toBe(1);
      await expect(findingCard(creator).locator('.badge', { hasText: 'Suppressed' }).count()).resolves.toBe(
        0,
      );
    });

    it('lists an exception over names in an account under “Pending approval”, in words', async () => {
      const created = await scenario.api.http
        .post('/v1/exceptions')
        .set('Authorization', `Bearer ${approver.token}`)
        .send({
          scope: {
            type: 'names',
            accountAlias: 'account-1',
            namePatterns: ['fleet-0*', 'archive-?'],
            region: 'cn-hangzhou',
            resourceKind: 'bucket',
          },
          controlIds: ['config-oss-bucket-server-side-encryption-enabled'],
          findingRules: [],
          reason: 'Archive buckets move to a KMS key with the Q3 migration',
          owner: 'storage-team@example.com',
          approver: 'console admin',
          ticketUrl: 'https://tickets.example.com/SEC-9',
          expiresAt: new Date(Date.now() + 8 * WEEK_MS).toISOString(),
        })
        .expect(201);
      const pending = (created.body as { id: string }).id;
      const page = creator.page;
      await visit(page, '#/exceptions');
      await afterAnswer(page, 'state=pending_approval', () =>
        page
          .getByLabel('Show')
          .selectOption('pending_approval')
          .then(() => undefined),
      );
      expect(page.url()).toContain('#/exceptions?show=pending_approval');
      await expect(page.locator('tr[data-exception-id]').count()).resolves.toBe(1);
      const row = normalised(await page.locator(`tr[data-exception-id="${pending}"]`).innerText());
      expect(row).toContain('Pending approval');
      expect(row).toContain('names fleet-0*, archive-? in account-1 (cn-hangzhou, buckets)');
      expect(row).toContain('approver console admin not yet approved');
    });

    it('logged no other error in the browser console', () => {
      expect([...creator.errors, ...second.errors]).toEqual([]);
    });
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

    it('sees the exceptions but no way to create, approve or revoke one', async () => {
      const page = tab.page;
      await page.getByRole('link', { name: 'Exceptions', exact: true }).click();
      await settled(page);
      await expect(page.locator(`tr[data-exception-id="${exceptionId}"]`).count()).resolves.toBe(1);
      await expect(page.getByRole('link', { name: 'New exception' }).count()).resolves.toBe(0);
      // Even the route that opens the form shows none to a reader.
      await visit(page, '#/exceptions?new=1');
      await expect(page.locator('form.exception-form').count()).resolves.toBe(0);
      await visit(page, `#/exceptions/${exceptionId}`);
      await expect(page.getByRole('button', { name: 'Approve' }).count()).resolves.toBe(0);
      await expect(page.getByRole('button', { name: 'Revoke' }).count()).resolves.toBe(0);
      await visit(page, `#/resources/${resourceId.toString()}`);
      await expect(page.getByRole('link', { name: 'Request an exception' }).count()).resolves.toBe(0);
    });

    it('is refused by the server when it forges a create or an approval: 403', async () => {
      const forged = (path: string, body: unknown) => postFromTab(tab.page, path, body);
      await expect(
        forged('/v1/exceptions', {
          scope: { type: 'resource', resourceKey: `oss:${scenario.audit.weakened}` },
          controlIds: [],
          findingRules: ['unencrypted'],
          reason: 'A reader trying to accept a risk',
          owner: 'reader',
          approver: APPROVER,
          ticketUrl: 'https://tickets.example.com/SEC-8',
          expiresAt: new Date(Date.now() + WEEK_MS).toISOString(),
        }),
      ).resolves.toBe(403);
      await expect(forged(`/v1/exceptions/${exceptionId}/approve`, {})).resolves.toBe(403);
      expect(tab.errors.splice(0)).toEqual([
        'Failed to load resource: the server responded with a status of 403 (Forbidden)',
        'Failed to load resource: the server responded with a status of 403 (Forbidden)',
      ]);
    });

    it('shows the control scores per framework and per control that /v1/controls gives', async () => {
      const page = tab.page;
      await visit(page, '#/');
      const report = await scenario.readerGet<ControlsReport>('/v1/controls');
      expect(report.frameworks.length).toBeGreaterThan(0);
      const counts = async (row: Locator) =>
        Object.fromEntries(
          await Promise.all(
            (['pass', 'fail', 'warning', 'suppressed'] as const).map(
              async (key) => [key, Number(await row.locator(`[data-count="${key}"]`).innerText())] as const,
            ),
          ),
        );
      for (const framework of report.frameworks) {
        const row = page.locator(`tr[data-framework-id="${framework.id}"]`);
        await expect(row.locator('.score-value').innerText()).resolves.toBe(percent(framework.score));
        await expect(counts(row)).resolves.toEqual({
          pass: framework.counts.pass,
          fail: framework.counts.fail,
          warning: framework.counts.warning,
          suppressed: framework.counts.suppressed,
        });
      }
      for (const control of report.controls) {
        const row = page.locator(`tr[data-control-id="${control.id}"]`);
        await expect(row.locator('.score-value').innerText()).resolves.toBe(percent(control.score));
        await expect(counts(row)).resolves.toEqual({
          pass: control.counts.pass,
          fail: control.counts.fail,
          warning: control.counts.warning,
          suppressed: control.counts.suppressed,
        });
      }
    });

    it('opens a control’s failing resources from its score', async () => {
      const page = tab.page;
      const report = await scenario.readerGet<ControlsReport>('/v1/controls');
      const failing = report.controls.find((control) => control.counts.fail > 0)!;
      await page.locator(`tr[data-control-id="${failing.id}"] [data-count="fail"] a`).click();
      await settled(page);
      await expect(page.locator('h1').innerText()).resolves.toBe(failing.title);
      const detail = await scenario.readerGet<ControlDetail>(`/v1/controls/${failing.id}?status=fail`);
      const rows = page.locator('tr[data-resource-id]');
      const shown: number[] = [];
      for (let index = 0; index < (await rows.count()); index += 1) {
        shown.push(Number(await rows.nth(index).getAttribute('data-resource-id')));
      }
      expect(shown).toEqual(detail.results.map((result) => result.resource.id));
      expect(shown).toHaveLength(failing.counts.fail);
    });

    it('shows on a resource the remediation the API gives for its open finding', async () => {
      const page = tab.page;
      await visit(page, `#/resources/${resourceId.toString()}`);
      const finding = await scenario.readerGet<FindingDetail>(`/v1/findings/${findingId}`);
      const steps = finding.remediation.flatMap((remedy) => remedy.steps);
      expect(steps.map((step) => step.tool)).toEqual(
        expect.arrayContaining(['http_api', 'aliyun_cli', 'terraform']),
      );
      const card = findingCard(tab);
      await expect(card.locator('.code-block pre').allInnerTexts()).resolves.toEqual(
        steps.map((step) => step.text),
      );
      for (const remedy of finding.remediation) {
        await expect(card.innerText()).resolves.toContain(remedy.summary);
      }
      await expect(card.getByRole('button', { name: /^Copy: / }).count()).resolves.toBe(steps.length);
    });

    it('logged no other error in the browser console', () => {
      expect(tab.errors).toEqual([]);
    });
  });

  describe.each<ColorScheme>(['light', 'dark'])('in the %s theme', (scheme) => {
    let tab: ConsoleTab;

    beforeAll(async () => {
      tab = await openConsole(browser, scenario.baseUrl, scheme);
      await signIn(tab.page, scenario.admin.token);
    });

    afterAll(async () => {
      await tab.close();
    });

    const PAGES: readonly { name: string; hash: () => string }[] = [
      { name: 'exceptions', hash: () => '#/exceptions' },
      { name: 'exceptions-new', hash: () => '#/exceptions?new=1' },
      { name: 'exception', hash: () => `#/exceptions/${exceptionId}` },
      { name: 'overview-controls', hash: () => '#/' },
      { name: 'control', hash: () => '#/controls/config-oss-bucket-server-side-encryption-enabled' },
      { name: 'resource-remediation', hash: () => `#/resources/${resourceId.toString()}` },
    ];

    it.each(PAGES)(
      'shows $name with no serious or critical accessibility violation',
      async ({ name, hash }) => {
        await visit(tab.page, hash());
        await screenshot(tab.page, `${name}-${scheme}`);
        expect(severe(await axeViolations(tab.page))).toEqual([]);
      },
    );

    it('logged no error in the browser console (a CSP refusal would be one)', () => {
      expect(tab.errors).toEqual([]);
    });
  });
});
