import { createHash } from 'node:crypto';

/**
 * What opsgraph writes at a vendor so that it can recognise its own write again after the answer
 * was lost (docs/gateway.md "Retrying a mutation"). Derived from the mutation and the idempotency
 * key — never the key itself, which is the client's — so the same key of another mutation never
 * matches.
 */
function digest(mutation: string, key: string): string {
  return createHash('sha256').update(`opsgraph\u0000${mutation}\u0000${key}`).digest('hex');
}

/** A text marker for a field the vendor keeps (HAPIHub `metadata`, Pharus ledger `notes`): `opsgraph:<32 hex>`. */
export function writeMarker(mutation: string, key: string): string {
  return `opsgraph:${digest(mutation, key).slice(0, 32)}`;
}

/**
 * An integer id in [1,000,000,000, 2,000,000,000) for a vendor whose create keeps an id the client
 * chooses (ISOlocity inspections): a retry of the same key asks for the same id, so the vendor
 * itself refuses a second record. Within int32, far above the sequences vendors hand out.
 */
export function derivedIntegerId(mutation: string, key: string): number {
  return 1_000_000_000 + (Number.parseInt(digest(mutation, key).slice(0, 12), 16) % 1_000_000_000);
}
