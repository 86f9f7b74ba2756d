import type { VendorErrorShapes, VendorReply } from '../core/server.js';

/**
 * Distru's error body (seed 002, "POST /invoices reports various errors correctly on update"):
 * `{errors: [{context, message, pointer, section}]}`. `pointer` is the path to the offending value,
 * `section` where it was sent. The document records only `body` errors with status 400; the other
 * sections and statuses are the sandbox's choice (docs/vendors/distru.md).
 */
export type ErrorSection = 'body' | 'query' | 'path' | 'header';

export interface DistruErrorEntry {
  context: Record<string, string>;
  message: string;
  pointer: (string | number)[];
  section: ErrorSection;
}

export function entry(message: string, pointer: (string | number)[], section: ErrorSection = 'body', context: Record<string, string> = {}): DistruErrorEntry {
  return { context, message, pointer, section };
}

export function errorReply(status: number, errors: DistruErrorEntry[]): VendorReply {
  return { status, body: { errors } };
}

/** 400: the request was understood but refused; nothing was written. */
export const validationFailed = (errors: DistruErrorEntry[]): VendorReply => errorReply(400, errors);

/** 404: no record with this id in the account (records of other companies are not found either). */
export const recordNotFound = (id: string): VendorReply => errorReply(404, [entry('Not found', ['id'], 'path', { id })]);

export const distruErrors: VendorErrorShapes = {
  unauthorized: () => errorReply(401, [entry('Unauthorized', ['authorization'], 'header')]),
  routeNotFound: (method, path) => errorReply(404, [entry(`No route for ${method} ${path}`, [], 'path')]),
  badRequest: (message) => errorReply(400, [entry(message, [], 'body')]),
  injected: (status) => errorReply(status, [entry(status === 429 ? 'Too many requests' : status === 503 ? 'Service unavailable' : 'Internal server error', [], 'header')]),
  internal: () => errorReply(500, [entry('Internal server error', [], 'body')]),
};
