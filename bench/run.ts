/**
 * `npm run bench`: every benchmark, each bounded in time, printing a table.
 *   npm run bench -- flagship     only the flagship query benchmark
 */
import { runFlagshipBench } from './flagship.js';
import { runSoakBench } from './soak.js';

const only = process.argv[2];
const benches: Record<string, () => Promise<void>> = { flagship: runFlagshipBench, soak: runSoakBench };

for (const [name, run] of Object.entries(benches)) {
  if (only && only !== name) continue;
  await run();
}
process.exit(0);
