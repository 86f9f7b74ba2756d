import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { VendorReply } from '../core/server.js';
import { validationFailed } from './errors.js';
import { parseOrErrors } from './schemas.js';

/** Sends a vendor reply (an error built in errors.ts, or a success body). */
export function send(reply: FastifyReply, r: VendorReply): FastifyReply {
  return reply.code(r.status).type('application/json; charset=utf-8').send(JSON.stringify(r.body));
}

/** The parsed query, or a 400 already sent (in which case the handler returns the reply). */
export function parseQuery<S extends z.ZodType>(request: FastifyRequest, reply: FastifyReply, schema: S): z.output<S> | null {
  const parsed = parseOrErrors(schema, request.query, 'query');
  if (parsed.ok) return parsed.value;
  send(reply, validationFailed(parsed.errors));
  return null;
}

/** The parsed body, or a 400 already sent. */
export function parseBody<S extends z.ZodType>(request: FastifyRequest, reply: FastifyReply, schema: S): z.output<S> | null {
  const parsed = parseOrErrors(schema, request.body, 'body');
  if (parsed.ok) return parsed.value;
  send(reply, validationFailed(parsed.errors));
  return null;
}
