import { gunzipSync } from 'node:zlib';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startGateway, type StartedGateway } from '../../src/server/gateway.js';
import { testDataDir } from '../support/data-dir.js';

const dataDir = testDataDir();

// GraphiQL's page and assets over HTTP (the browser test drives the page itself): the page names
// only assets of this gateway, each asset is served once per content hash, cached, and gzipped.

let gateway: StartedGateway;
beforeAll(async () => {
  gateway = await startGateway(loadConfig({ PORT: '0', HOST: '127.0.0.1', SYNC: 'off', OPSGRAPH_DATA_DIR: dataDir }), {
    vendors: {},
    graphiql: { query: 'query Flagship { __typename }', variables: '{"id": "x</script><script>alert(1)</script>"}' },
  });
});
afterAll(() => gateway?.close());

/** A raw GET (fetch would undo the gzip and hide content-encoding). */
function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(`${gateway.url}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

async function page(): Promise<string> {
  const r = await get('/graphql', { accept: 'text/html' });
  expect(r.status).toBe(200);
  expect(r.headers['content-type']).toMatch(/text\/html/);
  return r.body.toString('utf8');
}

/** Every src/href of the page and every worker URL of its Monaco set-up. */
function referencedUrls(html: string): string[] {
  const attributes = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] as string);
  const workers = Object.values(JSON.parse(/const workers = (\{[^}]*\})/.exec(html)?.[1] ?? '{}') as Record<string, string>);
  return [...attributes, ...workers];
}

describe('GraphiQL assets', () => {
  it('serves a small page that names only this gateway’s own assets, with no CDN', async () => {
    const html = await page();
    expect(html.length).toBeLessThan(10_000);
    const urls = referencedUrls(html);
    expect(urls).toHaveLength(6); // favicon, CSS, GraphiQL, three Monaco workers
    for (const url of urls) expect(url).toMatch(/^\.\/graphiql\/[a-z.]+\.[0-9a-f]{16}\.(js|css|ico)$/);
    expect(html).not.toMatch(/https?:\/\//);
  });

  it('serves each asset with its type, a year of immutable caching, gzip on request, and 304 for a known ETag', async () => {
    const urls = referencedUrls(await page());
    const types = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8', ico: 'image/x-icon' };
    for (const url of urls) {
      const path = url.slice(1);
      const plain = await get(path);
      expect(plain.status).toBe(200);
      expect(plain.headers['content-type']).toBe(types[url.split('.').pop() as keyof typeof types]);
      expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.body.length).toBeGreaterThan(1_000);

      const zipped = await get(path, { 'accept-encoding': 'gzip, br' });
      expect(zipped.headers['content-encoding']).toBe('gzip');
      expect(zipped.body.length).toBeLessThan(plain.body.length);
      expect(gunzipSync(zipped.body).equals(plain.body)).toBe(true);

      const again = await get(path, { 'if-none-match': String(plain.headers.etag) });
      expect(again.status).toBe(304);
      expect(again.body.length).toBe(0);
    }
  });

  it('answers an unknown asset with 404 and a write with 405', async () => {
    expect((await get('/graphiql/graphiql.0000000000000000.js')).status).toBe(404);
    const post = await fetch(`${gateway.url}/graphiql/x.js`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('embeds the starting query and variables as data, so they cannot close the page’s script', async () => {
    const html = await page();
    expect(html).toContain('"defaultQuery":"query Flagship { __typename }"');
    expect(html).toContain('"initialVariables":"{\\"id\\": \\"x\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e\\"}"');
    expect(html.match(/<\/script>/g)).toHaveLength(3);
  });
});
