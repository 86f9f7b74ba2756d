import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { PharusApiError, type PharusErrorCode } from '../errors.js';
import { body, ok, parseInput, type Answer } from '../http.js';
import { bulkImport } from '../schemas.js';

/**
 * Bulk imports. Document 001, "Conventions": `{ rows: [...] }` answers a per-row
 * `{ index, status, id? | error? }`; the import samples show `{ ids: [...] }`. We answer both:
 * `ids` lists the created ids in row order, `results` has one entry per row. Rows are independent:
 * a bad row fails alone and the others are created.
 */
export type RowResult = { index: number; status: 'created'; id: string } | { index: number; status: 'failed'; error: { code: PharusErrorCode; message: string; details?: unknown } };

export function runImport<S extends z.ZodType>(request: FastifyRequest, rowSchema: S, create: (row: z.output<S>) => string): Answer {
  const { rows } = body(request, bulkImport);
  const results: RowResult[] = rows.map((row, index) => {
    try {
      return { index, status: 'created', id: create(parseInput(rowSchema, row, 'body')) };
    } catch (error) {
      if (!(error instanceof PharusApiError)) throw error;
      const { code, message, details } = error;
      return { index, status: 'failed', error: details === undefined ? { code, message } : { code, message, details } };
    }
  });
  const ids = results.flatMap((r) => (r.status === 'created' ? [r.id] : []));
  return ok({ ids, results });
}
