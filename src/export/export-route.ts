import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { errorCode, isGraphQLError } from '../errors.js';
import type { ListContext } from '../lists/list-spec.js';
import { countList, planList, readPage, relationsOfPlan, type PlannedList } from '../lists/read-list.js';
import { assertSynced, relationSyncs } from '../lists/sync-status.js';
import type { Vendor } from '../model/records.js';
import type { KeysetPosition } from '../server/pagination.js';
import type { GatewayRuntime } from '../server/runtime.js';
import { csvRecord } from './csv.js';
import { EXPORTS, type Cell, type ExportDefinition } from './exports.js';
import { filterOfParams, ParamError } from './params.js';

/** Rows read from the store per keyset page: one page is written before the next is read. */
const PAGE_ROWS = 1_000;
const PATH = /^\/export\/([A-Za-z]+)\.(csv|ndjson)$/;

export interface ExportDeps {
  runtime: GatewayRuntime;
  /** Says whether the request's credentials may read (the API's own authentication, src/server/auth). */
  authorize(req: IncomingMessage): Promise<{ ok: true; client: string } | { ok: false; status: number; body: string }>;
  log: Logger;
}

/**
 * `GET /export/<list>.csv` and `.ndjson`: a whole list, filtered by the same filters as its GraphQL
 * connection (query parameters, validated the same way: a bad one is 400 naming it), streamed from
 * the synced store one keyset page at a time. Each page is written before the next is read and the
 * writer waits for the socket to drain, so memory stays flat whatever the size; a client that goes
 * away stops the read. `X-Total-Count` says how many rows come (for progress bars); the log gets one
 * line at the end with the row count.
 */
export async function serveExport(req: IncomingMessage, res: ServerResponse, deps: ExportDeps): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://opsgraph.invalid');
  const match = PATH.exec(url.pathname);
  const definition = match ? EXPORTS[match[1] as string] : undefined;
  if (!match || !definition) return answer(res, 404, `no such export; one of ${Object.keys(EXPORTS).map((n) => `/export/${n}.csv`).join(', ')} (or .ndjson)`, 'NOT_FOUND');
  if (req.method !== 'GET' && req.method !== 'HEAD') return answer(res, 405, 'exports are read with GET', 'BAD_REQUEST', { allow: 'GET, HEAD' });
  const name = match[1] as string;
  const format = match[2] as 'csv' | 'ndjson';

  const auth = await deps.authorize(req);
  if (!auth.ok) {
    res.writeHead(auth.status, { 'content-type': 'application/json' }).end(auth.body);
    return;
  }

  const list = listContextOf(deps.runtime);
  let planned: PlannedList<unknown, unknown>;
  try {
    const { filter, orderBy } = filterOfParams(url.searchParams, definition.params);
    planned = await planList(definition.spec, { filter, orderBy }, list, { filter: '', orderBy: 'orderBy' });
    assertSynced(name, await relationSyncs(list.db, relationsOfPlan(planned)), deps.runtime.sync.enabled);
  } catch (error) {
    if (error instanceof ParamError) return answer(res, 400, error.message, 'BAD_USER_INPUT', {}, { parameter: error.parameter });
    if (errorCode(error) === 'BAD_USER_INPUT' && isGraphQLError(error)) {
      const field = error.extensions.field;
      const parameter = parameterOf(typeof field === 'string' ? field : '', definition);
      return answer(res, 400, `${parameter}: ${error.message.replace(/^[^:]*: /, '')}`, 'BAD_USER_INPUT', {}, { parameter });
    }
    if (errorCode(error) === 'SYNC_IN_PROGRESS' && isGraphQLError(error)) return answer(res, 503, error.message, 'SYNC_IN_PROGRESS', { 'retry-after': '5' }, { progress: error.extensions.progress });
    throw error;
  }

  const total = await countList(planned);
  const started = Date.now();
  const day = new Date().toISOString().slice(0, 10);
  res.writeHead(200, {
    'content-type': format === 'csv' ? 'text/csv; charset=utf-8; header=present' : 'application/x-ndjson; charset=utf-8',
    'content-disposition': `attachment; filename="${name}-${day}.${format}"`,
    'cache-control': 'no-store',
    // Rows of the list (orders for orderLines: its rows are their lines).
    'x-total-count': String(total),
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  let rows = 0;
  let gone = false;
  res.on('close', () => {
    gone = !res.writableFinished;
  });
  try {
    const columns = definition.columns;
    if (format === 'csv') await write(res, csvRecord(columns.map(([header]) => header)));
    let after: KeysetPosition | null = null;
    for (;;) {
      if (gone) break;
      const page: Awaited<ReturnType<typeof readPage<unknown, unknown>>> = await readPage(planned, PAGE_ROWS, after);
      let chunk = '';
      for (const { node } of page.rows) {
        for (const row of rowsOf(definition, node)) {
          const values = columns.map(([, value]) => value(row, list));
          chunk += format === 'csv' ? csvRecord(values) : `${ndjsonLine(columns, values)}\n`;
          rows++;
        }
      }
      if (chunk !== '') await write(res, chunk);
      const last = page.rows[page.rows.length - 1];
      if (!page.hasNext || !last) break;
      after = last.position;
    }
    res.end();
    deps.log.info({ export: name, format, client: auth.client, rows, ms: Date.now() - started, complete: !gone }, `export ${name}.${format}: ${rows} rows`);
  } catch (error) {
    // The status line is gone: cut the body so the client sees an incomplete file, never a short one that looks whole.
    deps.log.error({ export: name, format, client: auth.client, rows, err: error }, `export ${name}.${format} failed after ${rows} rows`);
    res.destroy();
  }
}

function rowsOf(definition: ExportDefinition<unknown, unknown, unknown>, node: unknown): unknown[] {
  return definition.rows ? definition.rows(node) : [node];
}

function ndjsonLine(columns: ExportDefinition<unknown, unknown, unknown>['columns'], values: readonly Cell[]): string {
  const out: Record<string, Cell> = {};
  columns.forEach(([header], i) => {
    out[header] = values[i] ?? null;
  });
  return JSON.stringify(out);
}

/** Writes and waits for the socket to take it (backpressure), or for the client to leave. */
function write(res: ServerResponse, text: string): Promise<void> {
  if (res.write(text)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

function answer(res: ServerResponse, status: number, message: string, code: string, headers: Record<string, string> = {}, extensions: Record<string, unknown> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify({ errors: [{ message, extensions: { code, ...extensions } }] }));
}

/** The query parameter an error's filter path names (`.orderedAt.from` → `orderedFrom`). */
function parameterOf(field: string, definition: ExportDefinition<unknown, unknown, unknown>): string {
  const path = field.replace(/^\./, '');
  if (path.startsWith('orderBy')) return path.endsWith('direction') ? 'direction' : 'orderBy';
  const exact = definition.params.find((p) => p.target === path);
  if (exact) return exact.name;
  const parent = definition.params.find((p) => path.startsWith(`${p.target}.`) || p.target.startsWith(`${path}.`));
  return parent?.name ?? path;
}

function listContextOf(runtime: GatewayRuntime): ListContext {
  const configured = Object.keys(runtime.vendors) as Vendor[];
  return { crosswalk: runtime.crosswalk, db: runtime.store.db, configuredVendors: () => configured, noteSkipped: () => undefined };
}
