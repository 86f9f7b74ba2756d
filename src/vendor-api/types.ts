import type { z } from 'zod';
import type { VendorName } from '../errors.js';
import type { HttpMethod } from '../http/types.js';

/**
 * One vendor operation as generated from docs/vendors/<vendor>.openapi.yaml (scripts/vendor-api):
 * what the generic resolver needs to validate the GraphQL input, build the vendor request and parse
 * the answer. Tables of these live in src/generated/<vendor>-api.generated.ts.
 */
export interface VendorOperation {
  vendor: VendorName;
  operationId: string;
  /** Reads are GraphQL fields under `Query.<vendor>`, writes are root mutations. */
  kind: 'read' | 'write';
  /** `IsolocityQuery.cars` or `Mutation.isolocityCreateCar`. */
  graphql: { type: string; field: string };
  /** The document's heading, for errors and coverage. */
  heading: string;
  method: HttpMethod;
  /** OpenAPI path template, e.g. `/ncrs/{id}`. */
  path: string;
  /** GraphQL argument (or input field) → where it goes in the vendor request. */
  params: readonly OperationParam[];
  /** Body: `object` sends the body fields as one object; `array` sends input `rows` as the body. */
  body: 'none' | 'object' | 'array' | 'multipart';
  /** Validates the GraphQL input (arguments, or the input object of a mutation) before any call. */
  input: z.ZodType;
  /** Parses the vendor's 2xx body, leniently (unknown fields pass, optional fields may be null). */
  response: z.ZodType;
  /** Where the result sits in the body: `data` for enveloped vendors, '' for the body itself. */
  resultPath: string;
  /** Writes: the payload field that carries the result (`car`, or `result`). */
  resultKey: string;
  paging: Paging | null;
  /** The result is a list (a connection when `paging` pages, a plain list otherwise). */
  list: boolean;
  /** GraphQL object type of one result (for `__typename` of Node records), or null. */
  resultType: string | null;
  /** The vendor answers a file (not JSON). */
  binary: boolean;
  /** Response fields that are credentials and are dropped before anything leaves the gateway. */
  sensitive: readonly string[];
}

export interface OperationParam {
  /** Name in GraphQL (the vendor's name made a valid GraphQL name). */
  arg: string;
  /** Name in the vendor request. */
  name: string;
  in: 'path' | 'query' | 'body' | 'header';
  /** Arrays in the query repeat the key (`status[]=a&status[]=b`). */
  array: boolean;
}

export type Paging =
  | { style: 'page'; page: string; size: string | null; maxSize: number; items: string; next?: string; meta?: string }
  | { style: 'cursor'; cursor: string; size: string; next: string; items: string }
  | { style: 'offset'; skip: string; size: string; maxSize: number; items: string }
  | { style: 'none'; items: string };

/** A generated object type that is a Relay Node: the read that fetches one by its vendor id. */
export interface NodeRecord {
  /** GraphQL type name, also the type part of its global ids. */
  type: string;
  operationId: string;
  /** The argument of `operationId` that takes the vendor id. */
  idArg: string;
  /** Where the record sits in that read's result ('' = the result itself). */
  extract: string;
}

export interface VendorApi {
  vendor: VendorName;
  operations: readonly VendorOperation[];
  nodes: readonly NodeRecord[];
  /** GraphQL field → vendor field, per type, where the vendor's name is not a GraphQL name. */
  renames: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Object types whose records carry the vendor's `id` (GraphQL `vendorId`). */
  idTypes: readonly string[];
}
