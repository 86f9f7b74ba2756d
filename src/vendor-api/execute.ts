import { opsError, vendorError, type VendorName } from '../errors.js';
import type { VendorRequest } from '../http/types.js';
import type { Vendor } from '../model/records.js';
import { parseVendorBody } from '../vendors/parse.js';
import type { GatewayContext } from '../server/context.js';
import type { VendorOperation } from './types.js';
import { vendorRefusal } from './vendor-errors.js';

const VENDOR_KEY: Record<VendorName, Vendor> = { isolocity: 'ISOLOCITY', pharus: 'PHARUS', distru: 'DISTRU', hapihub: 'HAPIHUB' };

export type Input = Record<string, unknown>;

/** Extra query pairs a pager adds (page, size, cursor). */
export type PageQuery = readonly (readonly [string, string])[];

/**
 * Sends one generated operation through the vendor's shared HTTP layer (its VendorHttp: budget,
 * retries for reads only, breaker, trace, metrics) and parses the answer with the generated zod.
 * The input is already validated. Resolves with the parsed body, or null for a read of one record
 * the vendor does not have (404).
 */
export async function executeOperation(op: VendorOperation, input: Input, ctx: GatewayContext, pageQuery: PageQuery = []): Promise<unknown> {
  const runtime = ctx.runtime.vendors[VENDOR_KEY[op.vendor]];
  if (!runtime) throw opsError(`${op.vendor} is not configured: set its base URL and credentials (see README)`, { code: 'VENDOR_UNAVAILABLE', vendor: op.vendor, notConfigured: true });
  if (op.body === 'multipart' || op.binary) {
    // The shared HTTP layer speaks JSON only; a file up or down is not passed through GraphQL.
    throw opsError(`${op.graphql.field}: ${op.body === 'multipart' ? 'uploading a file' : 'a binary download'} is not available through opsgraph; call ${op.vendor} directly`, { code: 'UNSUPPORTED_OPERATION', vendor: op.vendor });
  }
  const request = buildRequest(op, input, pageQuery);
  const route = `${op.method} ${op.path}`;
  const response = await runtime.http.request(request, ctx.scope.call);
  if (response.status >= 200 && response.status < 300) {
    const body = parseVendorBody(op.vendor, route, op.response, response.body);
    return withoutSensitive(body, op.sensitive);
  }
  if (response.status === 404 && op.kind === 'read' && /\}$/.test(op.path)) return null;
  throw vendorRefusal(op.vendor, route, response.status, response.body, op.body === 'array');
}

export function buildRequest(op: VendorOperation, input: Input, pageQuery: PageQuery): VendorRequest {
  const values = new Map(op.params.map((p) => [p, input[p.arg]]));
  let path = op.path;
  const query: [string, string][] = [];
  const headers: Record<string, string> = {};
  let body: unknown;
  for (const [param, value] of values) {
    if (value === undefined) continue;
    switch (param.in) {
      case 'path':
        path = path.replace(`{${param.name}}`, encodeURIComponent(String(value)));
        break;
      case 'query':
        if (value === null) break;
        for (const v of Array.isArray(value) ? value : [value]) query.push([param.name, typeof v === 'object' ? JSON.stringify(v) : String(v)]);
        break;
      case 'header':
        if (value !== null) headers[param.name] = String(value);
        break;
      case 'body':
        if (param.name === '') body = value;
        else body = { ...((body as object | undefined) ?? {}), [param.name]: value };
        break;
    }
  }
  if (op.body === 'array') body = input.rows;
  if ((op.body === 'object' || op.body === 'multipart') && body === undefined && op.method !== 'GET' && op.method !== 'DELETE') body = {};
  if (/\{\w+\}/.test(path)) throw opsError(`${op.graphql.field}: a path parameter is missing`, { code: 'BAD_USER_INPUT', vendor: op.vendor });
  return {
    method: op.method,
    path,
    ...(query.length + pageQuery.length ? { query: [...query, ...pageQuery] } : {}),
    ...(body === undefined ? {} : { body }),
    ...(Object.keys(headers).length ? { headers } : {}),
    idempotent: op.method === 'GET',
  };
}

/** Drops credentials a vendor returns (`company.api_token`) before the body goes anywhere. */
function withoutSensitive(body: unknown, paths: readonly string[]): unknown {
  if (paths.length === 0) return body;
  const copy = structuredClone(body) as Record<string, unknown>;
  for (const path of paths) {
    const parts = path.split('.');
    let at: unknown = copy;
    for (const part of parts.slice(0, -1)) at = at && typeof at === 'object' ? (at as Record<string, unknown>)[part] : undefined;
    if (at && typeof at === 'object') delete (at as Record<string, unknown>)[parts[parts.length - 1]!];
  }
  return copy;
}

/** The value at a dotted path ('' = the value itself). */
export function at(body: unknown, path: string): unknown {
  if (!path) return body;
  let v: unknown = body;
  for (const part of path.split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[part] : undefined;
  return v;
}

export function badResponse(op: VendorOperation, message: string): Error {
  return vendorError(op.vendor, 'VENDOR_BAD_RESPONSE', `${op.method} ${op.path}: ${message}`);
}
