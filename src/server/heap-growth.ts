import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Bounds how far V8 lets the heap grow past what its last full collection kept. V8 sizes the next
 * limit from the kept heap times a factor of up to 4 when collections are cheap, and on a machine
 * with memory to spare it waits for that limit: at the budget bench's scale 100 (four initial syncs
 * at once) the gateway kept 60 MB yet its heap reached 312 MB of garbage before a full collection,
 * RSS 437 MB. At 50 % the heap stays within 1.5× what is kept (one full collection of ~10 ms every
 * few seconds while the syncs parse pages) and, unlike `--max-old-space-size`, it caps nothing: a
 * tenant whose data needs more heap gets it, it does not crash.
 *
 * V8 reads the flag whenever it sizes the next limit (Node leaves V8's flags open to
 * `v8.setFlagsFromString`; a V8 without the flag prints that it does not know it and goes on). But
 * the limit in force was sized while the modules loaded, at 4× (`--trace-gc-verbose`: 43 MB kept,
 * next limit 190 MB), and lasts until the next full collection: at scale 100 the first 10 s of
 * HAPIHub's sync piled 130 MB of garbage under it. So one full collection runs here, at once, to
 * size the limit with the factor (about 10 ms, once). 0 leaves V8's own heuristics.
 */
export function applyHeapGrowth(percent: number): void {
  if (percent <= 0) return;
  setFlagsFromString(`--heap-growing-percent=${percent}`);
  // `gc` exists only in contexts made after --expose-gc is set: a fresh one lends it, the process's own global stays as it was.
  setFlagsFromString('--expose-gc');
  const collect = runInNewContext('gc') as () => void;
  collect();
}
