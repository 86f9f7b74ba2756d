/**
 * `npm run bench -- armor`: what each class of attack costs the gateway once the limits are on —
 * time per refused request (p50/p95), heap growth over the class, and /healthz right after.
 * Target (issue 10): every attack refused in under 100 ms, /healthz within 100 ms after.
 * No vendor is needed: every attack is refused before any vendor call.
 */
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/config.js';
import { startGateway } from '../src/server/gateway.js';
import { benchDataDir } from './data-dir.js';
import { percentile, printTable } from './stats.js';

const RUNS = 30;
const TARGET_MS = 100;

interface Attack {
  name: string;
  body: string;
}

const gql = (query: string, variables?: Record<string, unknown>) => JSON.stringify({ query, ...(variables ? { variables } : {}) });
const attacks: Attack[] = [
  { name: '1,000 aliases of orders(first: 100)', body: gql(`{ ${Array.from({ length: 1000 }, (_, i) => `a${i}: orders(first: 100) { nodes { id } }`).join(' ')} }`) },
  { name: '15 aliases of orders(first: 100) with lines', body: gql(`{ ${Array.from({ length: 15 }, (_, i) => `a${i}: orders(first: 100) { nodes { id lines { sku { code } } } }`).join(' ')} }`) },
  { name: 'part → inspections nested 30 levels', body: gql(`{ sku(code: "OG-00001") { part { ${'inspections { part { '.repeat(15)}id${' } }'.repeat(15)} } } }`) },
  { name: 'part → inspections nested 8 levels', body: gql('{ sku(code: "OG-00001") { part { inspections { part { inspections { part { id } } } } } } }') },
  { name: '20,000 tokens of field spam', body: gql(`{ orders(first: 1) { nodes { ${'id '.repeat(20_000)} } } }`) },
  { name: 'a list literal nested 10,000 deep', body: gql(`{ orders(first: 1, after: ${'['.repeat(10_000)}${']'.repeat(10_000)}) { nodes { id } } }`) },
  { name: '100 directives on one field', body: gql(`{ orders(first: 1) { nodes { id ${'@include(if: true) '.repeat(100)} } } }`) },
  { name: 'a 900 KB variable for an ID', body: gql('query($id: ID!) { order(id: $id) { id } }', { id: 'Z'.repeat(900_000) }) },
  { name: 'a Decimal variable "1e999"', body: gql('mutation($q: Decimal!) { adjustInventory(input: { vendor: HAPIHUB, skuCode: "A", locationId: "63b0cd000670f21551ff4d07", quantity: $q }) { vendor } }', { q: '1e999' }) },
  { name: 'an NCR with a 10,000-character description', body: gql('mutation($d: String) { createNcr(input: { number: "N-1", source: INTERNAL, description: $d }) { ncr { id } } }', { d: 'x'.repeat(10_000) }) },
  { name: 'a 2 MB body', body: gql(`{ sku(code: "${'A'.repeat(2_000_000)}") { code } }`) },
];

export async function runArmorBench(): Promise<void> {
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', OPSGRAPH_DATA_DIR: benchDataDir(), NODE_ENV: 'production', OPSGRAPH_SANDBOX: '1' });
  const gateway = await startGateway(config, { vendors: {} });
  const rows: Record<string, string | number>[] = [];
  let allMet = true;
  try {
    for (const attack of attacks) {
      const send = async () => {
        const response = await fetch(`${gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: attack.body });
        const text = await response.text();
        return { status: response.status, code: (JSON.parse(text) as { errors?: { extensions?: { code?: string } }[] }).errors?.[0]?.extensions?.code ?? 'none' };
      };
      await send(); // warm
      global.gc?.();
      const heapBefore = process.memoryUsage().heapUsed;
      const times: number[] = [];
      let answer = { status: 0, code: '' };
      for (let i = 0; i < RUNS; i++) {
        const started = performance.now();
        answer = await send();
        times.push(performance.now() - started);
      }
      const heapGrowth = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
      const started = performance.now();
      await (await fetch(`${gateway.url}/healthz`)).text();
      const healthz = performance.now() - started;
      const p95 = percentile(times, 95);
      const met = p95 < TARGET_MS && healthz < TARGET_MS;
      allMet &&= met;
      rows.push({
        attack: attack.name,
        'body KB': Math.round(attack.body.length / 1024),
        answer: `${answer.status} ${answer.code}`,
        'p50 ms': percentile(times, 50),
        'p95 ms': p95,
        'heap Δ MB': heapGrowth,
        'healthz ms': healthz,
        [`< ${TARGET_MS} ms`]: met ? 'met' : 'NOT met',
      });
    }
  } finally {
    await gateway.close();
  }
  printTable(`Attacks against the limits — ${RUNS} sequential requests each, gateway in production mode (target: refused in < ${TARGET_MS} ms, /healthz < ${TARGET_MS} ms right after)`, rows);
  console.log(`target: ${allMet ? 'met' : 'NOT met'} for every class`);
}
