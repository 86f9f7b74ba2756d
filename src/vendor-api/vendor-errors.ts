import type { GraphQLError } from 'graphql';
import { vendorError, type ErrorCode, type VendorName } from '../errors.js';
import type { InputPath } from '../mutations/field-path.js';

/**
 * A vendor's refusal (a 4xx other than 401/403/429) as a GraphQL error: the code says what kind of
 * refusal, `extensions.fields` lists each field the vendor named with its path in our input
 * (`inputPath` of the first one lets `runMutation` set `extensions.field`). Messages are the
 * vendor's own validation messages, never its whole body.
 *
 * Shapes (see each docs/vendors/<vendor>.openapi.yaml `Error`):
 * - ISOlocity (Laravel): 422 `{message, errors: {"items.0.qty": ["…"]}}`
 * - Pharus: `{error: {code, message, details?}}` (seed 001 "Conventions / Errors"); details as
 *   `{fieldErrors: {f: [..]}}`, `[{path, message}]` or `{f: "…"}`
 * - Distru: 400 `{errors: [{pointer: "/items/0/quantity" | ["items",0,"quantity"], message}]}`
 * - HAPIHub (Feathers): `{name, message, code, errors: {f: "…"}}`
 */
export interface FieldProblem {
  path: InputPath;
  message: string;
}

const PHARUS_CODES: Record<string, ErrorCode> = {
  validation_failed: 'VALIDATION_FAILED',
  not_found: 'NOT_FOUND',
  conflict: 'CONFLICT',
  in_use: 'CONFLICT',
  invalid_transition: 'CONFLICT',
  forbidden: 'FORBIDDEN',
};

function codeOfStatus(status: number): ErrorCode {
  if (status === 404) return 'NOT_FOUND';
  if (status === 409) return 'CONFLICT';
  if (status === 400 || status === 422) return 'VALIDATION_FAILED';
  return 'VENDOR_BAD_RESPONSE';
}

function splitPath(path: unknown): InputPath {
  if (Array.isArray(path)) return path.map((p) => (typeof p === 'number' ? p : /^\d+$/.test(String(p)) ? Number(p) : String(p)));
  return String(path)
    .split(/[./]/)
    .filter((p) => p !== '')
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

function messages(value: unknown): string {
  if (Array.isArray(value)) return value.map(String).join('; ');
  if (value && typeof value === 'object' && 'message' in value) return String((value as { message: unknown }).message);
  return String(value);
}

function fieldsOfMap(map: unknown): FieldProblem[] {
  if (!map || typeof map !== 'object') return [];
  if (Array.isArray(map)) {
    return map.flatMap((item: unknown) => {
      if (!item || typeof item !== 'object') return [];
      const o = item as { path?: unknown; pointer?: unknown; field?: unknown; message?: unknown };
      const where = o.path ?? o.pointer ?? o.field;
      return where === undefined || where === null ? [] : [{ path: splitPath(where), message: String(o.message ?? 'invalid') }];
    });
  }
  const record = map as Record<string, unknown>;
  if (record.fieldErrors) return fieldsOfMap(record.fieldErrors);
  if (Array.isArray(record.issues)) return fieldsOfMap(record.issues);
  return Object.entries(record).map(([key, value]) => ({ path: splitPath(key), message: messages(value) }));
}

export function vendorRefusal(vendor: VendorName, route: string, status: number, body: unknown, rowsBody: boolean): GraphQLError {
  const o = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  let code = codeOfStatus(status);
  let message = typeof o.message === 'string' ? o.message : `the vendor answered ${status}`;
  let fields: FieldProblem[] = [];
  if (vendor === 'pharus' && o.error && typeof o.error === 'object') {
    const e = o.error as { code?: unknown; message?: unknown; details?: unknown };
    if (typeof e.code === 'string' && PHARUS_CODES[e.code]) code = PHARUS_CODES[e.code]!;
    if (typeof e.message === 'string') message = e.message;
    // Only a validation failure's details name fields (an `in_use` answer lists references).
    if (e.code === 'validation_failed') fields = fieldsOfMap(e.details);
  } else if (vendor === 'distru' && Array.isArray(o.errors)) {
    fields = fieldsOfMap(o.errors);
    message = (o.errors as { message?: unknown }[]).map((e) => String(e.message ?? '')).join('; ') || message;
  } else {
    fields = fieldsOfMap(o.errors);
  }
  // ISOlocity's bulk writes name rows from 0 ("0.identification"): our input holds them in `rows`.
  if (rowsBody) fields = fields.map((f) => (typeof f.path[0] === 'number' ? { ...f, path: ['rows', ...f.path] } : f));
  const first = fields[0];
  return vendorError(vendor, code, `${route}: ${message}`, {
    upstreamStatus: status,
    ...(fields.length ? { fields: fields.map((f) => ({ path: f.path, message: f.message })) } : {}),
    ...(first ? { inputPath: first.path } : {}),
  });
}
