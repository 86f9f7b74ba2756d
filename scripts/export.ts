/**
 * `npm run export -- <list> [--format csv|ndjson] [--out <file>] [--<filter> <value>]…`
 *
 * Downloads `/export/<list>.<format>` from a running gateway (OPSGRAPH_URL, default
 * http://localhost:4000) with its API key (OPSGRAPH_API_KEY, sent as `X-Api-Key`), streaming to the
 * file (or stdout) with a progress bar on stderr. It goes through the gateway rather than opening the
 * store itself, so it works against any deployment (SQLite or PostgreSQL), with the same
 * authentication, filters and validation as the API. Filters are the export's query parameters:
 * `--status OPEN --vendor distru --orderedFrom 2026-01-01T00:00:00Z`.
 */
import { createWriteStream } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

function usage(message: string): never {
  process.stderr.write(`${message}\nusage: npm run export -- <orders|orderLines|invoices|skus|inventoryLevels|inspections|ncrs> [--format csv|ndjson] [--out <file>] [--<filter> <value>]...\n`);
  process.exit(2);
}

const args = process.argv.slice(2);
const list = args.shift();
if (!list || list.startsWith('--')) usage('which list to export?');
let format = 'csv';
let out: string | null = null;
const query = new URLSearchParams();
while (args.length > 0) {
  const flag = args.shift() as string;
  const value = args.shift();
  if (!flag.startsWith('--') || value === undefined) usage(`expected --<option> <value>, got ${flag}`);
  const name = flag.slice(2);
  if (name === 'format') format = value;
  else if (name === 'out') out = value;
  else query.append(name, value);
}
if (format !== 'csv' && format !== 'ndjson') usage('--format is csv or ndjson');

const base = (process.env.OPSGRAPH_URL ?? 'http://localhost:4000').replace(/\/$/, '');
const url = `${base}/export/${encodeURIComponent(list)}.${format}${query.size > 0 ? `?${query.toString()}` : ''}`;
const headers: Record<string, string> = {};
if (process.env.OPSGRAPH_API_KEY) headers['x-api-key'] = process.env.OPSGRAPH_API_KEY;

const response = await fetch(url, { headers });
if (!response.ok || !response.body) {
  process.stderr.write(`export failed: HTTP ${response.status}\n${await response.text()}\n`);
  process.exit(1);
}
const total = Number(response.headers.get('x-total-count') ?? '0');
let records = 0;
let lastDraw = 0;
const started = Date.now();
const interactive = process.stderr.isTTY;

function draw(final = false): void {
  const now = Date.now();
  if (!final && now - lastDraw < 200) return;
  lastDraw = now;
  const rows = format === 'csv' ? Math.max(0, records - 1) : records;
  const share = total > 0 ? Math.min(1, rows / total) : final ? 1 : 0;
  const width = 30;
  const filled = Math.round(share * width);
  const rate = Math.round(rows / Math.max(0.001, (now - started) / 1000));
  const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.round(share * 100)}% ${rows}/${total} rows, ${rate} rows/s`;
  process.stderr.write(interactive ? `\r${line}${final ? '\n' : ''}` : final ? `${line}\n` : '');
}

// Counts records as they pass (CSV records end with CRLF; quoted fields may hold a bare LF, never CRLF).
const counter = new Transform({
  transform(chunk: Buffer, _encoding, done) {
    const text = chunk.toString('utf8');
    records += format === 'csv' ? text.split('\r\n').length - 1 : text.split('\n').length - 1;
    draw();
    done(null, chunk);
  },
});

await pipeline(Readable.fromWeb(response.body as never), counter, out ? createWriteStream(out) : process.stdout);
draw(true);
