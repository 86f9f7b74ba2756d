import type { FastifyInstance, FastifyRequest, HTTPMethods } from 'fastify';
import type { z } from 'zod';
import { PharusApiError } from './errors.js';

/** What a handler answers: a status and a JSON body. */
export interface Answer {
  status: number;
  body: unknown;
}

export const ok = (body: unknown): Answer => ({ status: 200, body });
export const created = (body: unknown): Answer => ({ status: 201, body });

export type Handler = (request: FastifyRequest) => Answer;

/**
 * Registers a handler under `/api` (document 001, "Conventions / Base path"). A `PharusApiError`
 * becomes the vendor's error body; anything else reaches the framework, which answers
 * `internal_error` without detail.
 */
export function route(app: FastifyInstance, method: HTTPMethods, path: string, handler: Handler): void {
  app.route({
    method,
    url: `/api${path}`,
    handler: async (request, reply) => {
      try {
        const answer = handler(request);
        return reply.code(answer.status).send(answer.body);
      } catch (error) {
        if (error instanceof PharusApiError) {
          const r = error.reply();
          return reply.code(r.status).send(r.body);
        }
        throw error;
      }
    },
  });
}

export type InputLocation = 'body' | 'query' | 'path';

/** Parses one part of a request; a mismatch is `validation_failed` listing every issue. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, location: InputLocation): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({ location, path: issue.path.map(String).join('.'), message: issue.message }));
  const first = issues[0];
  const where = first && first.path !== '' ? ` at ${first.path}` : '';
  throw new PharusApiError('validation_failed', `Invalid ${location}${where}: ${first?.message ?? 'invalid'}`, { issues });
}

export const body = <S extends z.ZodType>(request: FastifyRequest, schema: S): z.output<S> => parseInput(schema, request.body, 'body');
export const query = <S extends z.ZodType>(request: FastifyRequest, schema: S): z.output<S> => parseInput(schema, request.query ?? {}, 'query');
export const params = <S extends z.ZodType>(request: FastifyRequest, schema: S): z.output<S> => parseInput(schema, request.params, 'path');
