/**
 * `npm run bench`: every benchmark, each bounded in time, printing a table.
 *   npm run bench -- flagship         only the flagship query benchmark
 *   npm run bench -- sandbox-scale    the sandboxes at scale 1 and 100
 *   npm run bench -- soak             the soak run with faults on a schedule
 *   npm run bench -- armor            what each class of attack costs once the limits are on
 *   npm run bench -- retries          mutations retried over lost answers: duplicates, OUTCOME_UNKNOWN
 *   npm run bench -- distru-live      20 concurrent flagships on 20 Distru orders, strict sandboxes, synced store, real budget
 *   npm run bench -- replicas         1, 2 and 3 replicas on one PostgreSQL and Redis: throughput, p95, Distru's busiest second
 *   npm run bench -- budget [--scale N]  the synced store against strict sandboxes: initial and incremental sync calls,
 *                                     20 concurrent screens, far pages, export rows/s, gateway RSS (scale 100: about an hour,
 *                                     so it runs only when named)
 */
import { runFlagshipBench } from './flagship.js';
import { runSoakBench } from './soak.js';
import { runSandboxScaleBench } from './sandbox-scale.js';
import { runArmorBench } from './armor.js';
import { runRetriesBench } from './retries.js';
import { runReplicasBench } from './replicas.js';
import { runDistruLiveBench } from './distru-live.js';
import { runBudgetBench } from './budget.js';

const only = process.argv[2];
const benches: Record<string, () => Promise<void>> = { flagship: runFlagshipBench, 'sandbox-scale': runSandboxScaleBench, soak: runSoakBench, armor: runArmorBench, retries: runRetriesBench, replicas: runReplicasBench, 'distru-live': runDistruLiveBench, budget: runBudgetBench };
/** Benches that run only when named: they take most of an hour. */
const ONLY_WHEN_NAMED = new Set(['budget']);

for (const [name, run] of Object.entries(benches)) {
  if (only ? only !== name : ONLY_WHEN_NAMED.has(name)) continue;
  await run();
}
process.exit(0);
