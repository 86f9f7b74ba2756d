/**
 * `npm run bench`: every benchmark, each bounded in time, printing a table.
 *   npm run bench -- flagship         only the flagship query benchmark
 *   npm run bench -- sandbox-scale    the sandboxes at scale 1 and 100
 *   npm run bench -- soak             the soak run with faults on a schedule
 *   npm run bench -- armor            what each class of attack costs once the limits are on
 *   npm run bench -- retries          mutations retried over lost answers: duplicates, OUTCOME_UNKNOWN
 *   npm run bench -- distru-live      20 concurrent flagships on 20 Distru orders, strict sandboxes, synced store, real budget
 *   npm run bench -- replicas         1, 2 and 3 replicas on one PostgreSQL and Redis: throughput, p95, Distru's busiest second
 */
import { runFlagshipBench } from './flagship.js';
import { runSoakBench } from './soak.js';
import { runSandboxScaleBench } from './sandbox-scale.js';
import { runArmorBench } from './armor.js';
import { runRetriesBench } from './retries.js';
import { runReplicasBench } from './replicas.js';
import { runDistruLiveBench } from './distru-live.js';

const only = process.argv[2];
const benches: Record<string, () => Promise<void>> = { flagship: runFlagshipBench, 'sandbox-scale': runSandboxScaleBench, soak: runSoakBench, armor: runArmorBench, retries: runRetriesBench, replicas: runReplicasBench, 'distru-live': runDistruLiveBench };

for (const [name, run] of Object.entries(benches)) {
  if (only && only !== name) continue;
  await run();
}
process.exit(0);
