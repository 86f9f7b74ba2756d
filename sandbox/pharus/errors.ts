import type { VendorErrorShapes, VendorReply } from '../core/server.js';

/**
 * Pharus error bodies. Document 001, "Conventions / Errors": every non-2xx answer is
 * `{ "error": { "code", "message", "details?" } }` with a stable `code`. The document lists the
 * codes but not their HTTP statuses; Pharus's per-endpoint pages do (e.g.
 * https://docs.pharus.ai/internal/api/endpoints/finished-goods-inventory/E104-create-transfer-between-locations:
 * 404 not_found, 409 conflict / invalid_transition, 422 validation_failed), see docs/vendors/pharus.md.
 * `rate_limited` and `service_unavailable` are not in the document: they only answer injected faults.
 */
export const PHARUS_ERROR_STATUS = {
  validation_failed: 422,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  in_use: 409,
  invalid_transition: 409,
  rate_limited: 429,
  internal_error: 500,
  service_unavailable: 503,
} as const;

export type PharusErrorCode = keyof typeof PHARUS_ERROR_STATUS;

export interface PharusErrorBody {
  error: { code: PharusErrorCode; message: string; details?: unknown };
}

export function pharusErrorReply(code: PharusErrorCode, message: string, details?: unknown): VendorReply {
  const body: PharusErrorBody = { error: details === undefined ? { code, message } : { code, message, details } };
  return { status: PHARUS_ERROR_STATUS[code], body };
}

/** Thrown by handlers and domain code; the route wrapper turns it into a Pharus error reply. */
export class PharusApiError extends Error {
  constructor(
    readonly code: PharusErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'PharusApiError';
  }

  reply(): VendorReply {
    return pharusErrorReply(this.code, this.message, this.details);
  }
}

/** A path id, or an id named in a body, that matches no record. `field` names the body field. */
export function notFound(what: string, id: string, field?: string): PharusApiError {
  return new PharusApiError('not_found', `${what} ${id} not found`, field === undefined ? undefined : { field, id });
}

export const pharusErrorShapes: VendorErrorShapes = {
  unauthorized: () => pharusErrorReply('unauthorized', 'Missing or invalid bearer token'),
  routeNotFound: (method, path) => pharusErrorReply('not_found', `Route ${method} ${path} not found`),
  badRequest: (message) => pharusErrorReply('validation_failed', message),
  injected: (status) =>
    status === 429
      ? pharusErrorReply('rate_limited', 'Too many requests')
      : status === 503
        ? pharusErrorReply('service_unavailable', 'Service temporarily unavailable')
        : pharusErrorReply('internal_error', 'Internal server error'),
  internal: () => pharusErrorReply('internal_error', 'Internal server error'),
};
