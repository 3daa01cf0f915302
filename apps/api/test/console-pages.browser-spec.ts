import type { Browser } from 'playwright-core';

import {
  axeViolations,
  type ColorScheme,
  type ConsoleTab,
  launchChromium,
  openConsole,
  screenshot,
  severe,
  signIn,
  visit,
} from './testing/browser';
import { type ConsoleScenario, startConsoleScenario } from './testing/console-scenario';

// A page load, a click and the API behind it, in a browser on a shared 2-core machine.
jest.setTimeout(60_000);

/**
 * Every page of the console, in the light and the dark theme: no serious or critical accessibility
 * violation (axe-core), no console error (a CSP refusal shows as one), and a screenshot of each in
 * test-results/console/ for people to look at.
 */
describe('every console page', () => {
  let scenario: ConsoleScenario;
  let browser: Browser;
  const ids = { resource: 0, scan: 0 };

  beforeAll(async () => {
    scenario = await startConsoleScenario();
    browser = await launchChromium();
    const found = await scenario.api.http
      .get(`/v1/resources?namePrefix=${scenario.audit.weakened}`)
      .set('Authorization', `Bearer ${scenario.reader.token}`)
      .expect(200);
    ids.resource = (found.body as { items: { id: number }[] }).items[0]!.id;
    ids.scan = scenario.audit.second.id;
  }, 180_000);

  afterAll(async () => {
    await browser.close();
    await scenario.close();
  });

  const PAGES: readonly { name: string; hash: () => string }[] = [
    { name: 'overview', hash: () => '#/' },
    { name: 'findings', hash: () => '#/findings?status=all' },
    { name: 'resources', hash: () => '#/resources' },
    { name: 'resource', hash: () => `#/resources/${ids.resource.toString()}` },
    { name: 'drift', hash: () => '#/drift' },
    { name: 'scans', hash: () => '#/scans' },
    { name: 'scan', hash: () => `#/scans/${ids.scan.toString()}` },
    { name: 'alerts', hash: () => '#/alerts' },
    { name: 'accounts', hash: () => '#/accounts' },
  ];

  describe.each<ColorScheme>(['light', 'dark'])('in the %s theme', (scheme) => {
    let tab: ConsoleTab;

    beforeAll(async () => {
      tab = await openConsole(browser, scenario.baseUrl, scheme);
    });

    afterAll(async () => {
      await tab.close();
    });

    it('signs in with no serious or critical accessibility violation', async () => {
      await tab.page.getByLabel('API key').waitFor();
      await screenshot(tab.page, `login-${scheme}`);
      expect(severe(await axeViolations(tab.page))).toEqual([]);
      await signIn(tab.page, scenario.admin.token);
    });

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
