import type { CallScope } from '../http/types.js';
import type { VendorName } from '../errors.js';

/** An answer served from an older copy because the vendor could not refresh it. */
export interface StaleNote {
  vendor: VendorName;
  /** Which index or cache, e.g. "distru.products". */
  source: string;
  /** How old the copy served was, in ms. */
  ageMs: number;
  /** Why it was not refreshed (the error code). */
  reason: string;
}

/**
 * What a data source needs from the GraphQL request it works for: the HTTP call scope (trace,
 * deadline, abort signal) and a place to say that something was served stale, which ends up in
 * the response's `extensions.stale`.
 */
export interface SourceScope {
  call: CallScope;
  noteStale(note: StaleNote): void;
}
