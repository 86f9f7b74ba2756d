/**
 * `npm run sandbox [-- options]`: runs the vendor sandboxes in the foreground.
 *
 *   --only distru,pharus     start only these vendors (default: all four)
 *   --seed 42 --scale 1      the generated data set (also SANDBOX_SEED, SANDBOX_SCALE)
 *   --latency 20             ms added to every vendor request (also SANDBOX_LATENCY_MS)
 *   --strict                 as strict as the real vendors may be (also SANDBOX_STRICT=1): Distru
 *                            caps page[size] at 25 and answers 429 Retry-After: 1 past 2 calls in any second
 *   --host 127.0.0.1         where to listen (loopback by default)
 *   --isolocity-port 4101 --pharus-port 4102 --distru-port 4103 --hapihub-port 4104
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { startSandboxes } from './index.js';
import { VENDORS, type VendorName } from './world/index.js';

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    seed: { type: 'string', default: process.env.SANDBOX_SEED ?? '42' },
    scale: { type: 'string', default: process.env.SANDBOX_SCALE ?? '1' },
    latency: { type: 'string', default: process.env.SANDBOX_LATENCY_MS ?? '0' },
    strict: { type: 'boolean', default: process.env.SANDBOX_STRICT === '1' || process.env.SANDBOX_STRICT === 'true' },
    host: { type: 'string', default: '127.0.0.1' },
    'isolocity-port': { type: 'string' },
    'pharus-port': { type: 'string' },
    'distru-port': { type: 'string' },
    'hapihub-port': { type: 'string' },
  },
});

const port = z.coerce.number().int().min(0).max(65535);
const optionsSchema = z.object({
  only: z
    .string()
    .transform((s) => s.split(',').map((v) => v.trim().toLowerCase()))
    .pipe(z.array(z.enum(VENDORS as [VendorName, ...VendorName[]])))
    .optional(),
  seed: z.coerce.number().int().min(0),
  scale: z.coerce.number().positive().max(1000),
  latency: z.coerce.number().int().min(0).max(60_000),
  strict: z.boolean(),
  host: z.string().min(1),
  'isolocity-port': port.optional(),
  'pharus-port': port.optional(),
  'distru-port': port.optional(),
  'hapihub-port': port.optional(),
});

const parsed = optionsSchema.safeParse(values);
if (!parsed.success) {
  for (const issue of parsed.error.issues) console.error(`--${issue.path.join('.')}: ${issue.message}`);
  process.exit(2);
}
const o = parsed.data;
const started = Date.now();
const sandboxes = await startSandboxes({
  seed: o.seed,
  scale: o.scale,
  latencyMs: o.latency,
  strict: o.strict,
  host: o.host,
  ...(o.only ? { only: o.only } : {}),
  ports: {
    ...(o['isolocity-port'] !== undefined ? { isolocity: o['isolocity-port'] } : {}),
    ...(o['pharus-port'] !== undefined ? { pharus: o['pharus-port'] } : {}),
    ...(o['distru-port'] !== undefined ? { distru: o['distru-port'] } : {}),
    ...(o['hapihub-port'] !== undefined ? { hapihub: o['hapihub-port'] } : {}),
  },
});

const w = sandboxes.world;
console.log(`opsgraph vendor sandboxes — seed ${o.seed}, scale ${o.scale} (${w.skus.length} SKUs, ${w.orders.length} orders), latency ${o.latency} ms${o.strict ? ', strict' : ''}, ready in ${Date.now() - started} ms`);
for (const [vendor, handle] of Object.entries(sandboxes.handles)) {
  const c = handle.credentials;
  const extra = [c.orgId ? `X-Org-Id: ${c.orgId}` : null, c.email ? `login ${c.email} / ${c.password ?? ''}` : null].filter(Boolean).join(', ');
  console.log(`  ${vendor.padEnd(10)} ${handle.url}   token ${c.token}${extra ? `   (${extra})` : ''}`);
}
console.log('Test hooks on each: GET|DELETE /__sandbox/stats, GET /__sandbox/requests, POST|DELETE /__sandbox/faults, GET /__sandbox/info. Ctrl-C to stop.');

const stop = async () => {
  await sandboxes.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
