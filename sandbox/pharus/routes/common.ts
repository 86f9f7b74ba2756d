import type { FastifyRequest } from 'fastify';
import { notFound } from '../errors.js';
import { params } from '../http.js';
import { DEFAULT_LIMIT, decodeCursor } from '../paging.js';
import { idParams } from '../schemas.js';
import type { Table } from '../table.js';

/** The record a path `:id` names, or `not_found` (an id of the wrong shape is `validation_failed`). */
export function pathRecord<T>(request: FastifyRequest, table: Table<T>, what: string): T {
  const { id } = params(request, idParams);
  const row = table.get(id);
  if (row === undefined) throw notFound(what, id);
  return row;
}

/** The record a body field names, or `not_found` with `details.field` naming the field. */
export function referenced<T>(table: Table<T>, what: string, id: string, field: string): T {
  const row = table.get(id);
  if (row === undefined) throw notFound(what, id, field);
  return row;
}

/** Like `referenced`, for optional nullable fields: undefined and null pass through. */
export function referencedOptional<T>(table: Table<T>, what: string, id: string | null | undefined, field: string): void {
  if (id !== undefined && id !== null) referenced(table, what, id, field);
}

/** Keyset position and page size from the parsed `cursor` and `limit` of one list. */
export function pageArgs(list: string, q: { cursor?: string | undefined; limit?: number | undefined }): { after: string | undefined; limit: number } {
  return { after: decodeCursor(list, q.cursor), limit: q.limit ?? DEFAULT_LIMIT };
}

/** Case-insensitive substring match for the document's `q` filters. */
export function textMatches(needle: string | undefined, ...haystack: (string | null)[]): boolean {
  if (needle === undefined || needle === '') return true;
  const n = needle.toLowerCase();
  return haystack.some((h) => h !== null && h.toLowerCase().includes(n));
}

/** Copies the defined fields of a parsed PATCH body onto a record. */
export function assignDefined<T extends object>(target: T, patch: Partial<T>): void {
  for (const [key, value] of Object.entries(patch)) {
    if (value !== undefined) (target as Record<string, unknown>)[key] = value;
  }
}

/** Ids of the name-list records a filter value names: by id, or by name (case-insensitive). */
export function lookupIds<T extends { id: string; name: string }>(table: Table<T>, value: string): Set<string> {
  const wanted = value.toLowerCase();
  return new Set(table.all().filter((r) => r.id === value || r.name.toLowerCase() === wanted).map((r) => r.id));
}
