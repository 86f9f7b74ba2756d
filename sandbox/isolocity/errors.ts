import type { VendorErrorShapes, VendorReply } from '../core/server.js';

/**
 * ISOlocity's error bodies. The document shows only successes (`{status: "success", message, data}`),
 * so errors use the same envelope with `status: "error"`, and validation errors add Laravel's
 * `errors: {field: [messages]}` map (the API's `per_page`/`meta` paging is Laravel's): see
 * docs/vendors/isolocity.md "Errors".
 */
export interface IsolocityErrorBody {
  status: 'error';
  message: string;
  errors?: Record<string, string[]>;
}

const error = (status: number, message: string, errors?: Record<string, string[]>): VendorReply => {
  const body: IsolocityErrorBody = errors ? { status: 'error', message, errors } : { status: 'error', message };
  return { status, body };
};

export const isolocityErrors: VendorErrorShapes = {
  unauthorized: () => error(401, 'Unauthenticated.'),
  routeNotFound: (method, path) => error(404, `The route ${method} ${path} could not be found.`),
  badRequest: (message) => error(400, message),
  injected: (status) => error(status, status === 429 ? 'Too Many Attempts.' : status === 503 ? 'Service Unavailable' : 'Server Error'),
  internal: () => error(500, 'Server Error'),
};

/** 404 for an id that names no record (or is not an id at all). */
export const notFound = (resource: string, id: string | number): VendorReply => error(404, `${resource} ${id} not found.`);

/** 422 with field errors, keyed like Laravel (`part_id`, `0.identification`, `locations.1.quantity`). */
export const validationFailed = (errors: Record<string, string[]>): VendorReply => error(422, 'The given data was invalid.', errors);
