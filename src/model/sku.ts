/**
 * What a resolver holds for a `Sku`: just the canonical code, plus whatever the parent already
 * knew (a name from an order line). Everything else is loaded on demand, so that asking only for
 * `sku { code }` costs no vendor call.
 */
export interface SkuRef {
  code: string;
  /** A name the parent already had, used before asking any vendor. */
  knownName?: string | null;
}
