/**
 * The sandboxes at scale 1 and at scale 100 (100,000 orders, 10,000 SKUs): start time, memory, and
 * the latency of ordinary requests, which must not slow down with the data set's size (lists page
 * through indexes; nothing re-sorts or scans everything per request).
 */
import { startSandboxes, type Sandboxes } from '../sandbox/index.js';
import { distruShowcaseOrderId } from '../sandbox/showcase.js';
import { distruId } from '../sandbox/distru/project.js';
import { percentile, printTable } from './stats.js';

const RUNS = Number(process.env.BENCH_SCALE_RUNS ?? 100);

interface Probe {
  name: string;
  url: (s: Sandboxes) => string;
  headers: (s: Sandboxes) => Record<string, string>;
}

const bearer = (s: Sandboxes, vendor: 'isolocity' | 'distru' | 'hapihub' | 'pharus') => ({ authorization: `Bearer ${s.handles[vendor]?.credentials.token ?? ''}` });
const probes: Probe[] = [
  { name: 'Distru GET /orders page 3', url: (s) => `${s.handles.distru?.url}/public/v1/orders?page[number]=3&page[size]=50`, headers: (s) => bearer(s, 'distru') },
  { name: 'Distru GET /orders/:id (50 lines)', url: (s) => `${s.handles.distru?.url}/public/v1/orders/${distruShowcaseOrderId(s.world, 'fiftyLines')}`, headers: (s) => bearer(s, 'distru') },
  { name: 'Distru GET /inventory?product_ids[] (1)', url: (s) => `${s.handles.distru?.url}/public/v1/inventory?grouping[]=PRODUCT&grouping[]=LOCATION&product_ids[]=${encodeURIComponent(productId(s))}`, headers: (s) => bearer(s, 'distru') },
  { name: 'ISOlocity GET /parts page 10', url: (s) => `${s.handles.isolocity?.url}/api/v2/parts?page=10&per_page=50`, headers: (s) => bearer(s, 'isolocity') },
  { name: 'Pharus GET /skus (first 50)', url: (s) => `${s.handles.pharus?.url}/api/skus?limit=50`, headers: (s) => ({ ...bearer(s, 'pharus'), 'x-org-id': s.handles.pharus?.credentials.orgId ?? '' }) },
  { name: 'HAPIHub GET /inventory-transactions $limit=50 $skip=100', url: (s) => `${s.handles.hapihub?.url}/inventory-transactions?$limit=50&$skip=100`, headers: (s) => bearer(s, 'hapihub') },
];

/** The Distru product of the one-line showcase order's line. */
function productId(s: Sandboxes): string {
  const order = s.world.orderByKey.get(s.world.showcase.distru.oneLine);
  return distruId('product', order?.lines[0]?.skuCode ?? '');
}

async function measureScale(scale: number): Promise<Record<string, string | number>[]> {
  const before = process.memoryUsage().heapUsed;
  const started = performance.now();
  const sandboxes = await startSandboxes({ scale, ports: { isolocity: 0, pharus: 0, distru: 0, hapihub: 0 } });
  const startMs = performance.now() - started;
  const heapMb = (process.memoryUsage().heapUsed - before) / 1e6;
  const rows: Record<string, string | number>[] = [];
  try {
    for (const probe of probes) {
      const url = probe.url(sandboxes);
      const headers = probe.headers(sandboxes);
      const times: number[] = [];
      let status = 0;
      let bytes = 0;
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now();
        const r = await fetch(url, { headers });
        status = r.status;
        bytes = (await r.arrayBuffer()).byteLength;
        times.push(performance.now() - t);
      }
      rows.push({ scale, request: probe.name, status, bytes, 'p50 ms': percentile(times, 50), 'p95 ms': percentile(times, 95), 'start ms': startMs, 'heap MB': heapMb });
    }
  } finally {
    await sandboxes.close();
  }
  return rows;
}

export async function runSandboxScaleBench(): Promise<void> {
  const rows = [...(await measureScale(1)), ...(await measureScale(100))];
  printTable(`Sandboxes at scale 1 vs 100 (${RUNS} requests each, loopback, no injected latency)`, rows);
}
