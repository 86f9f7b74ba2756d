// Module resolution hook: refuses every module that `npm ci --omit=dev` would not install (the
// packages package-lock.json marks "dev": true, e.g. fastify, tsx, vitest), the vendor simulators
// (sandbox/, also when compiled to dist/sandbox/) and any TypeScript source. A refusal is thrown
// where the import happens, with "[production-only]" in the message; what a production install
// lacks fails as it would there, with code ERR_MODULE_NOT_FOUND.
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const lock = JSON.parse(readFileSync(`${root}package-lock.json`, 'utf8'));
const devOnly = Object.entries(lock.packages)
  .filter(([path, entry]) => path.startsWith('node_modules/') && entry.dev === true)
  .map(([path]) => pathToFileURL(`${root}${path}/`).href);
const simulators = [pathToFileURL(`${root}sandbox/`).href, pathToFileURL(`${root}dist/sandbox/`).href];

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  const url = resolved.url;
  const why = url.endsWith('.ts') ? 'TypeScript source' : simulators.some((p) => url.startsWith(p)) ? 'vendor simulator' : devOnly.some((p) => url.startsWith(p)) ? 'development dependency' : null;
  if (!why) return resolved;
  const error = new Error(`[production-only] cannot find ${specifier} (${why}) imported by ${context.parentURL ?? 'the entry point'}`);
  if (why !== 'TypeScript source') error.code = 'ERR_MODULE_NOT_FOUND';
  throw error;
}
