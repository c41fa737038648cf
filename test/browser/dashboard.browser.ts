// The dashboard and the API explorer in headless Chromium, against the app on the devhost with keys
// enforced, the ARM sandbox and Azurite: a demo-like fleet with a replica stuck on a private-endpoint
// registry. The matrix shows it provisioning, then stuck once a sweep has reported it, then healthy once
// the scheduled sweep has healed it. Time is the app's own: the watch table's first-seen times are moved
// back past the stuck threshold instead of waiting for it. Screenshots go to .local/browser-artifacts/.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { TableClient } from '@azure/data-tables';
import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';

import { APP_IDENTITY } from '../support/appFleet';
import { PATIENCE_MS } from '../support/patience';
import { CREATE_OWN_ROLE, rbacAdministration } from '../support/rbacAdministration';
import { REPO_ROOT } from '../support/repoRoot';
import { storageConnectionString, uniqueTableName } from '../support/storage';
import { startApp } from '../e2e/appHarness';
import type { AppHarness } from '../e2e/appHarness';

const FUNCTION_KEY = 'dashboard-test-function-key-0123456789';
const MASTER_KEY = 'dashboard-test-master-key-0123456789';
const STUCK_AFTER_MINUTES = 60;
const WATCH_TABLE = uniqueTableName('watch');
const ARTEFACTS = path.join(REPO_ROOT, '.local', 'browser-artifacts');
const PROD = 'rg-registries-prod';

let app: AppHarness;
let browser: BrowserContext;
let profile: string;

const keyed = { 'x-functions-key': FUNCTION_KEY };
const master = { 'x-functions-key': MASTER_KEY };

beforeAll(async () => {
  fs.mkdirSync(ARTEFACTS, { recursive: true });
  app = await startApp(
    (id, subscriptionId) => [
      {
        id: id(PROD, 'crcontosoprod'),
        location: 'westeurope',
        sku: 'Premium',
        replicas: [{ location: 'northeurope' }, { location: 'eastus' }],
      },
      {
        id: id(PROD, 'crcontosoml'),
        location: 'eastus',
        sku: 'Premium',
        replicas: [{ location: 'westus2' }],
      },
      {
        id: id(PROD, 'crcontososecure'),
        location: 'westeurope',
        sku: 'Premium',
        privateEndpoints: [
          `/subscriptions/${subscriptionId}/resourceGroups/rg-network/providers/Microsoft.Network/privateEndpoints/pe-crcontososecure`,
        ],
        replicas: [{ location: 'northeurope', creating: { createdBy: APP_IDENTITY.objectId } }],
      },
    ],
    {
      env: {
        // Healing grants the private-link permission with a role the app makes for itself here.
        ...CREATE_OWN_ROLE,
        STUCK_AFTER_MINUTES: String(STUCK_AFTER_MINUTES),
        WATCH_TABLE,
        DEVHOST_FUNCTION_KEY: FUNCTION_KEY,
        DEVHOST_MASTER_KEY: MASTER_KEY,
      },
      seed: rbacAdministration,
    },
  );
  profile = fs.mkdtempSync(path.join(os.tmpdir(), 'dashboard-chromium-'));
  // A new, empty profile each run (Playwright passes it as --user-data-dir).
  browser = await chromium.launchPersistentContext(profile, {
    headless: true,
    viewport: { width: 1280, height: 900 },
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  if (profile !== undefined) fs.rmSync(profile, { recursive: true, force: true });
});

/** A new page that records what the browser refused or failed on (a CSP violation is a console error). */
async function openPage(): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  return { page, problems };
}

const cell = (registry: string, region: string): string =>
  `tr[data-registry="${registry}"] td[data-region="${region}"]`;

async function untilCellIs(page: Page, registry: string, region: string, state: string): Promise<void> {
  try {
    await page.waitForSelector(`${cell(registry, region)}[data-state="${state}"]`, { timeout: PATIENCE_MS });
  } catch (error) {
    await page.screenshot({ path: path.join(ARTEFACTS, 'dashboard-failure.png'), fullPage: true });
    const status = await page.textContent('#status');
    const shown = await page.textContent(cell(registry, region)).catch(() => 'no such cell');
    throw new Error(
      `${registry} in ${region} is not ${state}: the cell shows "${shown}", the page says "${status}"`,
      {
        cause: error,
      },
    );
  }
}

async function runScheduleNow(): Promise<void> {
  const ran = await app.api('/admin/functions/healSchedule', { method: 'POST', body: {}, headers: master });
  expect(ran.status).toBe(202);
}

/** Waits for a sweep requested after `previous` to finish, and returns its request time. */
async function finishedSweep(previous: string | undefined): Promise<string> {
  const deadline = Date.now() + PATIENCE_MS;
  for (;;) {
    const answer = await app.api('/api/operations/sweep', { headers: keyed });
    if (answer.status === 200) {
      const view = answer.json<{ runtimeStatus: string; requestedAt?: string }>();
      const fresh = view.requestedAt !== undefined && view.requestedAt !== previous;
      if (fresh && ['Completed', 'Failed', 'Terminated'].includes(view.runtimeStatus))
        return view.requestedAt!;
    }
    if (Date.now() > deadline) throw new Error(`no finished sweep: ${answer.text}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Makes every watched replica look first seen in its state twice the threshold ago. */
async function watchedSinceLongAgo(): Promise<void> {
  const table = TableClient.fromConnectionString(storageConnectionString(), WATCH_TABLE, {
    allowInsecureConnection: true,
  });
  const since = new Date(Date.now() - 2 * STUCK_AFTER_MINUTES * 60_000).toISOString();
  for await (const row of table.listEntities()) {
    await table.updateEntity(
      { partitionKey: row.partitionKey!, rowKey: row.rowKey!, firstSeenAt: since },
      'Merge',
    );
  }
}

describe('the dashboard', () => {
  test('is refused without a key, and served with strict security headers and no key in its source', async () => {
    expect((await app.api('/api/dashboard')).status).toBe(401);
    const page = await app.api('/api/dashboard', { headers: keyed });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(page.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.text).not.toContain(FUNCTION_KEY);
    expect(page.text).not.toMatch(/<script>|<script[^>]*>[^<]/);
  });

  test('shows the fleet, the stuck replica once a sweep reports it, and the replica healed after the scheduled sweep', async () => {
    const { page, problems } = await openPage();
    await page.goto(`${app.host.url}/api/dashboard?code=${FUNCTION_KEY}`);
    // The key leaves the address at once and stays in this tab's session storage only.
    expect(page.url()).toBe(`${app.host.url}/api/dashboard`);
    expect(await page.content()).not.toContain(FUNCTION_KEY);

    await untilCellIs(page, 'crcontosoprod', 'eastus', 'healthy');
    await untilCellIs(page, 'crcontososecure', 'northeurope', 'provisioning');
    await untilCellIs(page, 'crcontososecure', 'eastus', 'absent');
    expect(await page.textContent(cell('crcontososecure', 'northeurope'))).toContain('…');
    const legend = await page.textContent('#legend');
    for (const word of ['healthy', 'provisioning', 'stuck', 'failed', 'being healed', 'absent'])
      expect(legend).toContain(word);

    // The first sweep starts watching; past the threshold a dry-run sweep reports the replica stuck.
    await runScheduleNow();
    const first = await finishedSweep(undefined);
    await watchedSinceLongAgo();
    expect((await app.api('/api/heal?dryRun=true', { method: 'POST', headers: keyed })).status).toBe(202);
    const second = await finishedSweep(first);
    await untilCellIs(page, 'crcontososecure', 'northeurope', 'stuck');
    await page.waitForSelector('#audit-chain.intact', { timeout: PATIENCE_MS });
    expect(await page.textContent('#recent')).toContain('sweep');
    await page.screenshot({ path: path.join(ARTEFACTS, 'dashboard-stuck.png'), fullPage: true });

    // The scheduled sweep heals it: the matrix shows it healthy.
    await runScheduleNow();
    await finishedSweep(second);
    await untilCellIs(page, 'crcontososecure', 'northeurope', 'healthy');
    await page.screenshot({ path: path.join(ARTEFACTS, 'dashboard-healed.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe('the API explorer', () => {
  test('loads from the app itself and lists the routes', async () => {
    const { page, problems } = await openPage();
    const external: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(app.host.url) && !request.url().startsWith('data:'))
        external.push(request.url());
    });
    await page.goto(`${app.host.url}/api/docs`);
    await page.waitForSelector('.opblock', { timeout: PATIENCE_MS });
    const text = await page.textContent('#swagger-ui');
    for (const route of ['/registries', '/operations', '/audit/verify', '/dashboard'])
      expect(text).toContain(route);
    await page.screenshot({ path: path.join(ARTEFACTS, 'api-explorer.png'), fullPage: false });
    expect(external).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });
});
