import type { z } from 'zod';
import type { VendorErrorShapes, VendorReply } from '../core/server.js';

/**
 * HAPIHub is built on Feathers, so its errors are Feathers errors serialised by `toJSON()`:
 * `{ name, message, code, className, data?, errors? }`, with the HTTP status equal to `code`.
 * The document shows no error body at all; the classes and messages below are Feathers' own
 * (@feathersjs/errors), and the choice is written down in docs/vendors/hapihub.md "Errors".
 */
const FEATHERS_ERRORS = {
  BadRequest: { code: 400, className: 'bad-request' },
  NotAuthenticated: { code: 401, className: 'not-authenticated' },
  NotFound: { code: 404, className: 'not-found' },
  MethodNotAllowed: { code: 405, className: 'method-not-allowed' },
  TooManyRequests: { code: 429, className: 'too-many-requests' },
  GeneralError: { code: 500, className: 'general-error' },
  Unavailable: { code: 503, className: 'unavailable' },
} as const;

export type FeathersErrorName = keyof typeof FEATHERS_ERRORS;

/** Field errors of a BadRequest: the dotted path of the field (`items.0.quantity`) → what is wrong. */
export type FieldErrors = Record<string, string>;

export interface FeathersErrorBody {
  name: FeathersErrorName;
  message: string;
  code: number;
  className: string;
  data?: unknown;
  errors?: FieldErrors;
}

export function feathersError(name: FeathersErrorName, message: string, extra: { data?: unknown; errors?: FieldErrors } = {}): VendorReply {
  const { code, className } = FEATHERS_ERRORS[name];
  const body: FeathersErrorBody = { name, message, code, className };
  if (extra.data !== undefined) body.data = extra.data;
  if (extra.errors !== undefined) body.errors = extra.errors;
  return { status: code, body };
}

/** Thrown by query parsing and handlers; the route wrapper answers with its reply. */
export class HapihubError extends Error {
  constructor(readonly reply: VendorReply) {
    super((reply.body as FeathersErrorBody).message);
    this.name = 'HapihubError';
  }
}

export function badRequest(message: string, errors?: FieldErrors): HapihubError {
  return new HapihubError(feathersError('BadRequest', message, errors === undefined ? {} : { errors }));
}

/** The message of Feathers' database adapters for a missing id. */
export function notFound(id: string): HapihubError {
  return new HapihubError(feathersError('NotFound', `No record found for id '${id}'`));
}

/** zod issues as Feathers field errors, keyed by dotted path; `prefix` names where the value came from. */
export function fieldErrors(error: z.ZodError, prefix = ''): FieldErrors {
  const errors: FieldErrors = {};
  const add = (path: readonly PropertyKey[], message: string): void => {
    const key = [prefix, ...path.map(String)].filter((part) => part !== '').join('.') || '(body)';
    errors[key] = errors[key] === undefined ? message : `${errors[key]}; ${message}`;
  };
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') for (const key of issue.keys) add([...issue.path, key], 'is not an allowed field');
    else add(issue.path, issue.message);
  }
  return errors;
}

/** A one-line summary of field errors, for `message`. */
export function summarize(errors: FieldErrors): string {
  return Object.entries(errors)
    .map(([path, message]) => `${path}: ${message}`)
    .join('; ');
}

export const hapihubErrorShapes: VendorErrorShapes = {
  unauthorized: () => feathersError('NotAuthenticated', 'Not authenticated'),
  // Feathers' `notFound()` middleware: "Page not found" with the url in `data`.
  routeNotFound: (_method, path) => feathersError('NotFound', 'Page not found', { data: { url: path } }),
  badRequest: (message) => feathersError('BadRequest', message),
  injected: (status) =>
    status === 429
      ? feathersError('TooManyRequests', 'Too many requests')
      : status === 503
        ? feathersError('Unavailable', 'Service unavailable')
        : feathersError('GeneralError', 'Internal server error'),
  internal: () => feathersError('GeneralError', 'Internal server error'),
};
