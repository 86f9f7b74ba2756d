import { createGraphQLError } from 'graphql-yoga';
import type { GraphQLError } from 'graphql';

/** The vendors opsgraph speaks to, as they appear in error extensions and traces. */
export type VendorName = 'isolocity' | 'pharus' | 'distru' | 'hapihub';
export const VENDOR_NAMES: readonly VendorName[] = ['isolocity', 'pharus', 'distru', 'hapihub'];

/**
 * Every error code a client may see in `extensions.code`. Clients switch on these, so they are a
 * public contract: add, never rename.
 */
export type ErrorCode =
  // A vendor could not give an answer.
  | 'VENDOR_UNAVAILABLE' // connection refused/reset, 5xx, or its circuit breaker is open
  | 'VENDOR_TIMEOUT' // no answer within the per-call timeout or the request deadline
  | 'VENDOR_RATE_LIMITED' // 429 past our retries, or our own queue for it is full
  | 'VENDOR_BAD_RESPONSE' // a body that is not JSON or does not match the vendor's documented shape
  | 'VENDOR_AUTH_FAILED' // the vendor refused our credentials (401/403 on a read)
  | 'INDEX_LIMIT_EXCEEDED' // a vendor relation outgrew MAX_INDEX_ENTRIES (a configuration limit, not a vendor fault)
  | 'VENDOR_NOT_CONFIGURED' // the vendor has no connection settings in this gateway (extensions.settings names them)
  | 'SYNC_IN_PROGRESS' // a list's first sync has not completed yet (extensions.progress per vendor): retry later
  // The client's request.
  | 'BAD_USER_INPUT'
  | 'VALIDATION_FAILED'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'INVALID_TRANSITION' // the record's status does not allow the change (extensions name the status)
  | 'FORBIDDEN'
  | 'IDEMPOTENCY_CONFLICT'
  | 'IDEMPOTENCY_IN_PROGRESS' // another request with this key is still writing: retry the same key later
  // A write was sent and its answer lost, and looking for it at the vendor could not tell (extensions.written: "unknown").
  | 'OUTCOME_UNKNOWN'
  | 'UNSUPPORTED_OPERATION'
  // Safety (src/server/auth, src/server/limits): who may ask, and how much.
  | 'UNAUTHENTICATED'
  | 'UPSTREAM_BUDGET_EXCEEDED';

export interface ErrorExtensions {
  code: ErrorCode;
  vendor?: VendorName;
  [key: string]: unknown;
}

/** Builds a GraphQL error with typed extensions (no class tree: code + vendor say what it is). */
export function opsError(message: string, extensions: ErrorExtensions): GraphQLError {
  return createGraphQLError(message, { extensions });
}

/** A vendor-caused error; the message names the vendor and never carries credentials or bodies. */
export function vendorError(vendor: VendorName, code: ErrorCode, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return opsError(`${vendor}: ${message}`, { code, vendor, ...extra });
}

export function errorCode(error: unknown): ErrorCode | undefined {
  if (error && typeof error === 'object' && 'extensions' in error) {
    const ext = (error as { extensions?: { code?: unknown } }).extensions;
    if (typeof ext?.code === 'string') return ext.code as ErrorCode;
  }
  return undefined;
}

/**
 * The write went through but reading its result back failed: keeps the read's code and vendor and
 * marks `written: true`, so the client knows not to write again and the idempotency store
 * remembers the outcome.
 */
export function writtenButUnread(error: unknown): GraphQLError {
  const ext = ((error as { extensions?: Record<string, unknown> } | null)?.extensions ?? {}) as Partial<ErrorExtensions>;
  const message = error instanceof Error ? error.message : String(error);
  return opsError(`the write was made, but reading the result back failed: ${message}`, { ...ext, code: ext.code ?? 'VENDOR_UNAVAILABLE', written: true });
}

/** User input quoted in an error message is cut to this many characters (it may be megabytes). */
export const MAX_QUOTED_INPUT = 100;

/** User input for a message: JSON-quoted, at most MAX_QUOTED_INPUT characters of it. */
export function quoteInput(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  } catch {
    // JSON.stringify recurses: a list nested 10,000 deep overflows it.
    text = Array.isArray(value) ? 'a list' : typeof value;
  }
  return JSON.stringify(text.length > MAX_QUOTED_INPUT ? `${text.slice(0, MAX_QUOTED_INPUT - 1)}…` : text);
}

/**
 * A GraphQLError from any copy of graphql-js: under Node, packages import its CommonJS build while
 * bundlers (vitest) may load the ESM one, so `instanceof` can answer false for a real GraphQLError.
 */
export function isGraphQLError(value: unknown): value is GraphQLError {
  return value instanceof Error && value.name === 'GraphQLError' && 'extensions' in value;
}
