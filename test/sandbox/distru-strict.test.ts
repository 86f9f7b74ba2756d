import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDistruSandbox } from '../../sandbox/distru/index.js';
import { startSandboxes } from '../../sandbox/index.js';
import { generateWorld } from '../../sandbox/world/index.js';
import { client, type DistruSandbox } from './fixtures/distru/harness.js';
import type { ListBody } from './fixtures/distru/wire.js';

// `--strict` / SANDBOX_STRICT=1: Distru caps every page at 25 rows and answers 429 with
// Retry-After: 1 past 2 calls in any 1-second window, as the real vendor may. The default
// sandbox stays lenient (test/sandbox/distru-reads.test.ts).

const world = generateWorld({ scale: 0.2 });
let strict: DistruSandbox;
let lenient: DistruSandbox;

beforeAll(async () => {
  strict = await startDistruSandbox({ port: 0, world, strict: true });
  lenient = await startDistruSandbox({ port: 0, world });
});
afterAll(async () => {
  await strict.close();
  await lenient.close();
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('strict Distru sandbox', () => {
  it('answers at most 25 rows per page whatever page[size] asks, with next_page to the rest', async () => {
    const api = client(strict);
    for (const path of ['/public/v1/orders?page[size]=100', '/public/v1/products', '/public/v1/invoices?page[size]=50']) {
      await pause(1_050);
      const response = await api.get(path);
      expect(response.status, path).toBe(200);
      const body = response.body as ListBody<{ id: string }>;
      expect(body.data, path).toHaveLength(25);
      expect(body.next_page, path).toMatch(/page\[number\]=2/);
    }
    // A smaller size than the cap is honoured.
    await pause(1_050);
    expect(((await api.get('/public/v1/orders?page[size]=7')).body as ListBody<unknown>).data).toHaveLength(7);
  });

  it('answers the third call within one second with 429 and Retry-After: 1, and serves again after it', async () => {
    await pause(1_050);
    // Three at once: they all arrive within the same second.
    const responses = await Promise.all(
      [1, 2, 3].map(async () => {
        const response = await fetch(`${strict.url}/public/v1/orders?page[size]=1`, { headers: { authorization: `Bearer ${strict.credentials.token}` } });
        await response.arrayBuffer();
        return { status: response.status, retryAfter: response.headers.get('retry-after') };
      }),
    );
    expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 429]);
    expect(responses.find((r) => r.status === 429)?.retryAfter).toBe('1');
    await pause(1_050);
    expect((await client(strict).get('/public/v1/orders?page[size]=1')).status).toBe(200);
  });

  it('leaves the default sandbox lenient: 100 rows per page and no 429 for a quick burst', async () => {
    const api = client(lenient);
    const responses = await Promise.all([1, 2, 3, 4].map(() => api.get('/public/v1/orders?page[size]=100')));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect((responses[0]?.body as ListBody<unknown>).data).toHaveLength(100);
  });

  it('is switched on for every sandbox by startSandboxes({ strict: true })', async () => {
    const sandboxes = await startSandboxes({ world, strict: true, only: ['distru'], ports: { distru: 0 } });
    try {
      const handle = sandboxes.handles.distru as DistruSandbox;
      const body = (await client(handle).get('/public/v1/orders?page[size]=100')).body as ListBody<unknown>;
      expect(body.data).toHaveLength(25);
    } finally {
      await sandboxes.close();
    }
  });
});
