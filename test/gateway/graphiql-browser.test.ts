import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromGlobalId } from '../../src/model/global-id.js';
import { cleanEnv, startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';

// A newcomer's first minute: `npm start` with nothing configured (here the TypeScript entry, on
// free ports), the banner, then GraphiQL in a real headless Chromium (Debian's, as .ci/run installs
// it) on a machine with no internet: every request that leaves loopback is refused and recorded.

interface FlagshipAnswer {
  data?: { order: { id: string; status: string; invoices: unknown[]; lines: { sku: { part: { inspections: unknown[] } | null } | null }[] } | null };
  errors?: unknown[];
}

let gateway: GatewayProcess;
let context: BrowserContext;
let userDataDir: string;
const leftLoopback: string[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  gateway = await startGatewayProcess(
    process.execPath,
    ['--import', 'tsx', 'src/main.ts'],
    cleanEnv({ PORT: '0', HOST: '127.0.0.1', SANDBOX_BASE_PORT: '0', SANDBOX_SCALE: '0.3', LOG_LEVEL: 'warn' }),
  );
  userDataDir = mkdtempSync(join(tmpdir(), 'opsgraph-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1' || url.protocol === 'data:' || url.protocol === 'blob:') return route.continue();
    leftLoopback.push(url.href);
    return route.abort('internetdisconnected');
  });
}, 120_000);

afterAll(async () => {
  await context?.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  await gateway?.kill();
});

/** What an editor shows: Monaco renders spaces as no-break spaces. */
async function shown(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? '').replace(/\u00a0/g, ' ');
}

/** The order ids the banner lists under "Orders to try", in order. */
function bannerOrderIds(output: string): string[] {
  const section = output.slice(output.indexOf('Orders to try'));
  return [...section.matchAll(/^\s+([A-Za-z0-9+/=_-]{16,})\s{2,}/gm)].map((m) => m[1] as string);
}

describe('GraphiQL for a newcomer, offline', () => {
  it('starts with a short banner: GraphiQL URL, counts per vendor, three orders to try', () => {
    const out = gateway.output();
    expect(out).toContain(`GraphiQL     ${gateway.graphqlUrl}`);
    for (const line of [
      /ISOlocity +http:\/\/127\.0\.0\.1:\d+ +\d+ parts, \d+ orders, \d+ inspections, \d+ NCRs/,
      /Pharus +http:\/\/127\.0\.0\.1:\d+ +\d+ SKUs, \d+ sales orders/,
      /Distru +http:\/\/127\.0\.0\.1:\d+ +\d+ products, \d+ orders, \d+ invoices/,
      /HAPIHub +http:\/\/127\.0\.0\.1:\d+ +\d+ items/,
    ]) {
      expect(out).toMatch(line);
    }
    const ids = bannerOrderIds(out);
    expect(ids.map((id) => fromGlobalId(id)?.vendor)).toEqual(['DISTRU', 'PHARUS', 'ISOLOCITY']);
    expect(out).not.toMatch(/cancelled/);
  });

  it('opens /graphql on the flagship query for an order with invoices and inspections, runs it, and shows its lines', async () => {
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(gateway.graphqlUrl);

    // The query editor holds the flagship query, the variables editor the banner's first order.
    await expect.poll(() => shown(page.locator('.graphiql-query-editor')), { timeout: 90_000, interval: 250 }).toContain('query Flagship($id: ID!)');
    const [featured] = bannerOrderIds(gateway.output());
    await expect.poll(() => shown(page.locator('.graphiql-editor-tool')), { timeout: 30_000, interval: 250 }).toContain(featured);

    const answered = page.waitForResponse((r) => r.request().method() === 'POST' && (r.request().postData() ?? '').includes('query Flagship'), { timeout: 60_000 });
    await page.locator('.graphiql-execute-button').click();
    const response = await answered;
    expect(response.status()).toBe(200);
    const body = (await response.json()) as FlagshipAnswer;
    expect(body.errors).toBeUndefined();
    const order = body.data?.order;
    expect(order?.id).toBe(featured);
    expect(order?.status).not.toBe('CANCELLED');
    expect(order?.invoices.length).toBeGreaterThan(0);
    expect(order?.lines.length).toBeGreaterThan(0);
    expect(order?.lines.some((line) => (line.sku?.part?.inspections.length ?? 0) > 0)).toBe(true);

    // The answer is on screen, and nothing was fetched from outside this machine.
    await expect.poll(() => shown(page.locator('.graphiql-response')), { timeout: 30_000, interval: 250 }).toContain('"lines"');
    expect(leftLoopback).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 240_000);
});
