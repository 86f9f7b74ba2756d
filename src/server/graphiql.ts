import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { GraphiQLOptions } from 'graphql-yoga';

/**
 * GraphiQL from the package's own assets, so that it works on a machine with no internet. Yoga's
 * default page loads GraphiQL from a public CDN (and stays white offline);
 * @graphql-yoga/render-graphiql carries the whole bundle instead, but inlines all of it (about
 * 9 MB: code, CSS, three Monaco workers, favicon) into every page load. Here the page is a few
 * hundred bytes that reference the same assets at content-hashed URLs under `graphiql/`, served
 * immutable and gzipped, so a browser downloads them once. The bundle is loaded on the first page
 * or asset request, never at start.
 */

/** The page's assets, relative to the GraphQL endpoint (`/graphql` → `/graphiql/…`). */
export const GRAPHIQL_ASSET_PREFIX = '/graphiql/';

interface Asset {
  body: Buffer;
  type: string;
  etag: string;
  /** Compressed on first request, once. */
  gzipped(): Promise<Buffer>;
}

interface GraphiqlAssets {
  /** Asset name → its URL path below GRAPHIQL_ASSET_PREFIX (content-hashed). */
  names: { js: string; css: string; favicon: string; workers: Record<'editorWorkerService' | 'json' | 'graphql', string> };
  byName: Map<string, Asset>;
}

const gzipAsync = promisify(gzip);
let loaded: Promise<GraphiqlAssets> | null = null;

function loadAssets(): Promise<GraphiqlAssets> {
  return (loaded ??= (async () => {
    const bundle = await import('@graphql-yoga/render-graphiql/graphiql');
    const byName = new Map<string, Asset>();
    const add = (stem: string, ext: string, type: string, body: Buffer): string => {
      const hash = createHash('sha256').update(body).digest('hex').slice(0, 16);
      const name = `${stem}.${hash}.${ext}`;
      let gzipped: Promise<Buffer> | null = null;
      byName.set(name, { body, type, etag: `"${hash}"`, gzipped: () => (gzipped ??= gzipAsync(body)) });
      return name;
    };
    const js = 'text/javascript; charset=utf-8';
    // The favicon is shipped as a data: URL; serve its bytes.
    const favicon = Buffer.from(bundle.favicon.slice(bundle.favicon.indexOf(',') + 1), 'base64');
    return {
      names: {
        js: add('graphiql', 'js', js, Buffer.from(bundle.js)),
        css: add('graphiql', 'css', 'text/css; charset=utf-8', Buffer.from(bundle.css)),
        favicon: add('favicon', 'ico', 'image/x-icon', favicon),
        workers: {
          editorWorkerService: add('editor.worker', 'js', js, Buffer.from(bundle.editorWorkerService)),
          json: add('json.worker', 'js', js, Buffer.from(bundle.jsonWorker)),
          graphql: add('graphql.worker', 'js', js, Buffer.from(bundle.graphqlWorker)),
        },
      },
      byName,
    };
  })());
}

/** JSON that is safe inside a <script> element (no `</script>`, no line separators). */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Yoga's `renderGraphiQL`: the page, with the same bootstrap as @graphql-yoga/render-graphiql. */
export async function renderOfflineGraphiQL(options: GraphiQLOptions): Promise<string> {
  const { names } = await loadAssets();
  // Relative URLs, so that a proxy serving the gateway below a path prefix serves the assets too.
  const url = (name: string) => `.${GRAPHIQL_ASSET_PREFIX}${name}`;
  const workers = Object.fromEntries(Object.entries(names.workers).map(([label, name]) => [label, url(name)]));
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>${escapeHtml(options.title ?? 'GraphiQL')}</title>
    <link rel="icon" href="${options.favicon ? escapeHtml(options.favicon) : url(names.favicon)}" />
    <link rel="stylesheet" href="${url(names.css)}" />
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>You need to enable JavaScript to run GraphiQL.</noscript>
    <div id="root"></div>
    <script>
      const workers = ${scriptJson(workers)};
      self.MonacoEnvironment = { globalAPI: false, getWorkerUrl: (moduleId, label) => workers[label] };
    </script>
    <script src="${url(names.js)}"></script>
    <script>
      YogaGraphiQL.renderYogaGraphiQL(document.querySelector('#root'), ${scriptJson(options)});
    </script>
  </body>
</html>
`;
}

/**
 * Serves one asset of the page; `path` is the request path. Assets never change at a URL (the name
 * carries the content hash), so they are cached for a year.
 */
export async function serveGraphiqlAsset(path: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return;
  }
  const asset = (await loadAssets()).byName.get(path.slice(GRAPHIQL_ASSET_PREFIX.length));
  if (!asset) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('no such GraphiQL asset');
    return;
  }
  const headers: Record<string, string> = { 'content-type': asset.type, etag: asset.etag, 'cache-control': 'public, max-age=31536000, immutable', vary: 'accept-encoding' };
  if (req.headers['if-none-match'] === asset.etag) {
    res.writeHead(304, headers).end();
    return;
  }
  const gzipOk = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  const body = gzipOk ? await asset.gzipped() : asset.body;
  if (gzipOk) headers['content-encoding'] = 'gzip';
  res.writeHead(200, { ...headers, 'content-length': String(body.length) });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/**
 * What GraphiQL opens with (when the browser has no GraphiQL state of its own yet): the given query
 * and variables, sending X-Opsgraph-Trace. GraphiQL 5 takes the variables as `initialVariables`
 * (it throws on the old `variables` prop); Yoga passes the options through to it.
 */
export function graphiqlOptions(start: { query: string; variables?: string } | undefined): GraphiQLOptions & { initialVariables?: string } {
  return {
    title: 'opsgraph',
    defaultQuery: start?.query ?? '',
    ...(start?.variables ? { initialVariables: start.variables } : {}),
    headers: JSON.stringify({ 'X-Opsgraph-Trace': '1' }, null, 2),
  };
}
