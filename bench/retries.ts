/**
 * `npm run bench -- retries`: integrations retrying mutations over a network that drops answers,
 * for every mutation of docs/gateway.md's table (the cases of test/support/mutation-cases.ts).
 * The sandboxes apply each write and then lose its answer on RETRY_LOSS_RATE (default 0.5) of the
 * write calls (`loseResponse`); for each mutation, RETRY_KEYS (default 20) idempotency keys are
 * sent, each re-sent after an error up to RETRY_ATTEMPTS (default 6) times, like a client does.
 *
 * Per mutation it prints the retried sends, the vendor records created (counted in the sandbox's
 * own store, per key), duplicates (records beyond one per key: target 0), OUTCOME_UNKNOWN answers,
 * keys still unresolved after the last attempt, and lost acknowledged writes (keys answered as done
 * whose record the vendor does not hold: target 0). Bounded: keys × attempts sends per mutation.
 */
import { loadConfig } from '../src/config.js';
import { Crosswalk } from '../src/catalog/crosswalk.js';
import { startGateway } from '../src/server/gateway.js';
import { sandboxConnections } from '../src/server/sandbox-wiring.js';
import { startSandboxes } from '../sandbox/index.js';
import { worldCrosswalk } from '../sandbox/world/index.js';
import { MUTATION_CASES, type CaseEnv, type PreparedWrite } from '../test/support/mutation-cases.js';
import { benchDataDir } from './data-dir.js';
import { printTable } from './stats.js';

const KEYS = Number(process.env.RETRY_KEYS ?? 20);
const ATTEMPTS = Number(process.env.RETRY_ATTEMPTS ?? 6);
const LOSS_RATE = Number(process.env.RETRY_LOSS_RATE ?? 0.5);

const met = (n: number) => `${n} (target 0: ${n === 0 ? 'met' : 'NOT met'})`;

export async function runRetriesBench(): Promise<void> {
  const sandboxes = await startSandboxes({ scale: 0.2, ports: { isolocity: 0, pharus: 0, distru: 0, hapihub: 0 } });
  // Distru's 2 calls a second paces a live company; the sandbox is none, and the subject here is
  // duplicates, not pacing.
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', OPSGRAPH_DATA_DIR: benchDataDir(), DISTRU_MAX_RPS: '1000' });
  // Half the write answers lost in a row would open the write breaker (the soak's subject): here
  // every send must reach the idempotency store and the vendor, so the breaker never opens.
  const breaker = { breaker: { failureThreshold: 1_000_000, openMs: 1_000 } };
  const httpOverrides = { ISOLOCITY: breaker, PHARUS: breaker, DISTRU: breaker, HAPIHUB: breaker };
  const gateway = await startGateway(config, { vendors: sandboxConnections(sandboxes), crosswalk: new Crosswalk(worldCrosswalk(sandboxes.world)), httpOverrides });
  const env: CaseEnv = {
    sandboxes,
    gql: async (query, variables) => {
      const response = await fetch(`${gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
      return (await response.json()) as { data?: unknown; errors?: { extensions?: Record<string, unknown> }[] };
    },
  };
  try {
    const rows: Record<string, string | number>[] = [];
    let totalDuplicates = 0;
    let totalLost = 0;
    for (const c of MUTATION_CASES) {
      // Each key's write is set up first, with no fault on (records to change, an order to invoice…).
      const writes: (PreparedWrite & { key: string })[] = [];
      for (let i = 0; i < KEYS; i++) {
        const key = `bench-${c.name.replace(/[^A-Za-z]+/g, '-')}-${i}`;
        writes.push({ ...(await c.prepare(env, key)), key });
      }
      const handle = sandboxes.handles[c.vendor];
      handle?.faults.add({ match: c.lose, loseResponse: true, rate: LOSS_RATE });
      let sends = 0;
      let unknown = 0;
      const acknowledged: boolean[] = [];
      for (const w of writes) {
        let done = false;
        for (let attempt = 0; attempt < ATTEMPTS && !done; attempt++) {
          sends++;
          const answer = await env.gql(c.query, { input: { ...w.input, idempotencyKey: w.key } });
          if (answer.errors?.[0]?.extensions?.code === 'OUTCOME_UNKNOWN') unknown++;
          done = !answer.errors;
        }
        acknowledged.push(done);
      }
      handle?.faults.clear();
      const records = writes.map((w) => w.records());
      const duplicates = records.reduce((n, r) => n + Math.max(0, r - 1), 0);
      const lost = writes.filter((_w, i) => acknowledged[i] && records[i] !== 1).length;
      totalDuplicates += duplicates;
      totalLost += lost;
      rows.push({
        mutation: c.name,
        recognised: c.recognition,
        keys: KEYS,
        'retried sends': sends - KEYS,
        'vendor records': records.reduce((n, r) => n + r, 0),
        duplicates: met(duplicates),
        OUTCOME_UNKNOWN: unknown,
        'keys unresolved': acknowledged.filter((a) => !a).length,
        'lost acknowledged writes': met(lost),
      });
    }
    printTable(`Retries over lost answers (loss rate ${LOSS_RATE}, ${KEYS} keys × up to ${ATTEMPTS} sends per mutation)`, rows);
    console.log(`\nall mutations: duplicates ${met(totalDuplicates)}, lost acknowledged writes ${met(totalLost)}`);
  } finally {
    await gateway.close();
    await sandboxes.close();
  }
}
