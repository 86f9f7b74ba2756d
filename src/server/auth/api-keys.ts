import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * API keys of `OPSGRAPH_API_KEYS_FILE`: a JSON array of `{ name, sha256, scopes }`. Only the
 * SHA-256 digest of a key is stored, so the file (and a leaked copy of it) does not open the
 * gateway. `name` is the client's name in logs and metrics.
 */
export const SCOPE = /^(read|write|write:(isolocity|pharus|distru|hapihub))$/;

const entrySchema = z.object({
  name: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9._-]+$/, 'must be letters, digits, ".", "_" or "-" (it becomes a metrics label)'),
  sha256: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'must be the hex SHA-256 digest of the key (64 hex digits)')
    .transform((h) => h.toLowerCase()),
  scopes: z.array(z.string().regex(SCOPE, 'must be read, write or write:<vendor> (isolocity, pharus, distru, hapihub)')).min(1, 'must name at least one scope'),
});
const fileSchema = z.array(entrySchema).min(1, 'must list at least one key');

export type ApiKeyEntry = z.output<typeof entrySchema>;

/** Parses the file's text; throws an Error naming the entry and field (never a digest). */
export function parseApiKeysFile(text: string): ApiKeyEntry[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error('is not valid JSON');
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; '));
  const names = new Set<string>();
  for (const entry of parsed.data) {
    if (names.has(entry.name)) throw new Error(`${entry.name}: the same name twice (names identify clients)`);
    names.add(entry.name);
  }
  return parsed.data;
}

export function sha256Hex(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Finds the entry of a presented key, comparing digests in constant time. */
export class ApiKeyRing {
  private readonly entries: { digest: Buffer; entry: ApiKeyEntry }[];

  constructor(entries: readonly ApiKeyEntry[]) {
    this.entries = entries.map((entry) => ({ digest: Buffer.from(entry.sha256, 'hex'), entry }));
  }

  get size(): number {
    return this.entries.length;
  }

  find(key: string): ApiKeyEntry | undefined {
    const digest = createHash('sha256').update(key, 'utf8').digest();
    let found: ApiKeyEntry | undefined;
    // Every entry is compared, so the time taken does not say how many entries were tried.
    for (const candidate of this.entries) if (timingSafeEqual(candidate.digest, digest)) found = candidate.entry;
    return found;
  }
}
