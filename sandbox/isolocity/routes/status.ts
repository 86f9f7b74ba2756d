import type { FastifyInstance } from 'fastify';
import { route } from '../http.js';

/** Document version of the API this sandbox follows ("ISOlocity API (2.6.0)"). */
export const API_VERSION = '2.6.0';

/** "Check the current system status": the document's body, not the usual envelope. */
export function statusRoutes(app: FastifyInstance): void {
  route(app, 'GET', '/status', () => ({ status: 200, body: { status: 'success', version: API_VERSION, online: true } }));
}
