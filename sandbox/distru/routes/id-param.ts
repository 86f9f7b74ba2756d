import type { FastifyReply, FastifyRequest } from 'fastify';
import { entry, validationFailed } from '../errors.js';
import { send } from '../http.js';
import { isUuid } from '../schemas.js';

/** The `:id` of a route; an id that is not a UUID cannot name a Distru record and gets a 400 (sent here). */
export function idParam(request: FastifyRequest, reply: FastifyReply): string | null {
  const id = (request.params as { id?: unknown }).id;
  if (typeof id === 'string' && isUuid(id)) return id;
  send(reply, validationFailed([entry('is not a valid UUID', ['id'], 'path')]));
  return null;
}
