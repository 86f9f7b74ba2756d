import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { VendorReply } from '../core/server.js';
import { notFound, validationFailed } from './errors.js';
import type { Table } from './table.js';

/**
 * The plumbing every ISOlocity route shares: handlers are plain functions from a request to a
 * `VendorReply`, success bodies use the document's envelope, pages are Laravel's `page`/`per_page`.
 */

export type Handler = (request: FastifyRequest) => VendorReply;
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export function route(app: FastifyInstance, methods: Method | Method[], url: string, handler: Handler): void {
  app.route({
    method: methods,
    url,
    handler: async (request: FastifyRequest, reply: FastifyReply) => {
      const r = handler(request);
      if (r.headers) reply.headers(r.headers);
      return reply.code(r.status).send(r.body);
    },
  });
}

/** Updates answer on PUT and on PATCH, as Laravel's `apiResource` routes do. */
export const UPDATE: Method[] = ['PUT', 'PATCH'];

const SUCCESS = 'The request was successful';

export const ok = (data: unknown, meta?: object): VendorReply => ({
  status: 200,
  body: meta ? { status: 'success', message: SUCCESS, meta, data } : { status: 'success', message: SUCCESS, data },
});

export const created = (data: unknown, meta?: object): VendorReply => ({ ...ok(data, meta), status: 201 });

/** "Delete sample from a inspection": the document's body has no `data`. */
export const deleted = (): VendorReply => ({ status: 200, body: { status: 'success', message: SUCCESS } });

export interface PageQuery {
  page: number;
  per_page: number;
}

/**
 * The list meta of the fuller public rendering (https://docs.isolocity.com, list response samples):
 * `{current_page, from, to, total, per_page}` — Laravel's paginator without `last_page`.
 */
export interface PageMeta {
  current_page: number;
  from: number | null;
  to: number | null;
  total: number;
  per_page: number;
}

/** One page of `rows` (already in id order) in the envelope, with its meta. A page past the end is empty. */
export function paginate<T>(rows: readonly T[], q: PageQuery, view: (row: T) => unknown = (row) => row): VendorReply {
  const start = (q.page - 1) * q.per_page;
  const slice = rows.slice(start, start + q.per_page);
  const meta: PageMeta = {
    current_page: q.page,
    from: slice.length > 0 ? start + 1 : null,
    to: slice.length > 0 ? start + slice.length : null,
    total: rows.length,
    per_page: q.per_page,
  };
  return ok(slice.map(view), meta);
}

export type Result<T> = { ok: true; value: T } | { ok: false; reply: VendorReply };

type Issue = z.ZodError['issues'][number];

/** Validates a body or query with zod; failures become the 422 field map. */
export function parse<S extends z.ZodType>(schema: S, input: unknown): Result<z.output<S>> {
  const parsed = schema.safeParse(input, { reportInput: true });
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, reply: validationFailed(issuesToErrors(parsed.error.issues)) };
}

/**
 * Laravel-style messages ("The part id field is required."). Custom messages in the schemas are
 * predicates ("must be an integer") that get the field name in front.
 */
export function issuesToErrors(issues: readonly Issue[]): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  for (const issue of issues) {
    const key = issue.path.length > 0 ? issue.path.map(String).join('.') : 'body';
    const label = key.replace(/_/g, ' ');
    (errors[key] ??= []).push(messageOf(issue, label));
  }
  return errors;
}

function messageOf(issue: Issue, label: string): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return `The ${label} field is required.`;
      return `The ${label} must be ${TYPE_NAMES[issue.expected] ?? `of type ${issue.expected}`}.`;
    case 'too_small':
      return issue.origin === 'array' ? `The ${label} must have at least ${issue.minimum} items.` : issue.origin === 'string' ? `The ${label} must be at least ${issue.minimum} characters.` : `The ${label} must be at least ${issue.minimum}.`;
    case 'too_big':
      return issue.origin === 'array' ? `The ${label} may not have more than ${issue.maximum} items.` : issue.origin === 'string' ? `The ${label} may not be greater than ${issue.maximum} characters.` : `The ${label} may not be greater than ${issue.maximum}.`;
    case 'invalid_value':
      return `The selected ${label} is invalid.`;
    default:
      return `The ${label} ${issue.message}.`;
  }
}

const TYPE_NAMES: Record<string, string> = {
  int: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  array: 'an array',
  object: 'an object',
};

/** Integer ids in paths: anything else names no record (404, as Laravel's numeric route constraint). */
export function pathId(request: FastifyRequest, name = 'id'): number | null {
  const raw = (request.params as Record<string, string | undefined>)[name] ?? '';
  if (!/^[1-9]\d{0,14}$/.test(raw)) return null;
  return Number(raw);
}

/** The record a path id names, or the vendor's 404. */
export function lookup<T extends { id: number }>(table: Table<T>, request: FastifyRequest, resource: string, name = 'id'): Result<T> {
  const id = pathId(request, name);
  const record = id === null ? undefined : table.get(id);
  if (record) return { ok: true, value: record };
  return { ok: false, reply: notFound(resource, (request.params as Record<string, string | undefined>)[name] ?? '') };
}

/** Field errors collected across several checks before answering one 422. */
export class FieldErrors {
  readonly errors: Record<string, string[]> = {};

  add(key: string, message: string): void {
    (this.errors[key] ??= []).push(message);
  }

  /** Laravel's `exists` rule message. */
  invalid(key: string): void {
    this.add(key, `The selected ${key.replace(/_/g, ' ')} is invalid.`);
  }

  /** Laravel's `unique` rule message. */
  taken(key: string): void {
    this.add(key, `The ${key.replace(/_/g, ' ')} has already been taken.`);
  }

  get empty(): boolean {
    return Object.keys(this.errors).length === 0;
  }
}
