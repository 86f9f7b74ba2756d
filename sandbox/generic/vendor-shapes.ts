import { randomBytes, randomUUID } from 'node:crypto';
import type { VendorReply } from '../core/server.js';
import { errorReply, entry } from '../distru/errors.js';
import { feathersError } from '../hapihub/errors.js';
import { validationFailed as isolocityInvalid, notFound as isolocityNotFound } from '../isolocity/errors.js';
import { pharusErrorReply } from '../pharus/errors.js';
import type { VendorName } from '../world/index.js';

/** A field problem in the vendor's request terms: path into the body (or the query parameter). */
export interface Problem {
  path: (string | number)[];
  message: string;
  section: 'body' | 'query' | 'path';
}

/**
 * Each vendor's conventions the generic handler needs, in the vendor's own error shapes (reusing
 * each sandbox's error helpers): ids, timestamps, validation and not-found answers, envelopes.
 */
export interface VendorShape {
  newId(sequence: number): string | number;
  now(): string | number;
  invalid(problems: Problem[]): VendorReply;
  notFound(kind: string, id: string): VendorReply;
  /** Wraps one record (or a non-list result) the way the vendor answers. */
  one(value: unknown, responseHasData: boolean): unknown;
  timestamps: [created: string, updated: string];
}

const isoNow = () => new Date().toISOString();
/** ISOlocity's real timestamps are `Y-m-d H:i:s` (issue 12, https://docs.isolocity.com). */
const laravelNow = () => new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, '');

export const VENDOR_SHAPES: Record<VendorName, VendorShape> = {
  isolocity: {
    newId: (n) => 100_000 + n,
    now: laravelNow,
    invalid: (problems) => isolocityInvalid(Object.fromEntries(problems.map((p) => [p.path.join('.') || 'body', [p.message]]))),
    notFound: (kind, id) => isolocityNotFound(kind, id),
    one: (value, hasData) => (hasData ? { status: 'success', message: 'The request was successful', data: value } : value),
    timestamps: ['created_at', 'updated_at'],
  },
  pharus: {
    newId: () => randomUUID(),
    now: isoNow,
    invalid: (problems) => {
      const reply = pharusErrorReply('validation_failed', 'Request validation failed', { fieldErrors: Object.fromEntries(problems.map((p) => [p.path.join('.'), [p.message]])) });
      // Pharus's per-endpoint pages answer validation_failed with 422 (issue 12).
      return { ...reply, status: 422 };
    },
    notFound: (kind, id) => pharusErrorReply('not_found', `${kind} ${id} not found`),
    one: (value) => value,
    timestamps: ['createdAt', 'updatedAt'],
  },
  distru: {
    newId: () => randomUUID(),
    now: isoNow,
    invalid: (problems) => errorReply(400, problems.map((p) => entry(p.message, p.path, p.section))),
    notFound: (_kind, id) => errorReply(404, [entry('Not found', ['id'], 'path', { id })]),
    one: (value, hasData) => (hasData ? { data: value } : value),
    timestamps: ['inserted_datetime', 'updated_datetime'],
  },
  hapihub: {
    newId: () => randomBytes(12).toString('hex'),
    now: () => Date.now(),
    invalid: (problems) => feathersError('BadRequest', 'Validation failed', { errors: Object.fromEntries(problems.map((p) => [p.path.join('.'), p.message])) }),
    notFound: (_kind, id) => feathersError('NotFound', `No record found for id '${id}'`),
    one: (value) => value,
    timestamps: ['createdAt', 'updatedAt'],
  },
};
