import type { IncomingMessage } from 'node:http';
import type { YogaServerInstance } from 'graphql-yoga';
import { clientOf } from '../server/auth/client-auth.js';

/** The smallest query there is: `read` scope is all it needs. */
const PROBE = JSON.stringify({ query: 'query ExportReadCheck { __typename }' });

/**
 * An export is allowed to whoever may run a query: the request's credentials (`Authorization`,
 * `X-Api-Key`) are put to the GraphQL server's own authentication (src/server/auth: API keys, JWTs,
 * the `read` scope) with a `{ __typename }` query, in process. One mechanism decides who may read,
 * whatever door they come in by. 401 and 403 answers are passed on as the API gives them.
 */
export function exportAuthorizer(yoga: Pick<YogaServerInstance<Record<string, unknown>, Record<string, unknown>>, 'fetch'>) {
  return async (req: IncomingMessage): Promise<{ ok: true; client: string } | { ok: false; status: number; body: string }> => {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    for (const name of ['authorization', 'x-api-key'] as const) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const probe = new Request('http://opsgraph.invalid/graphql', { method: 'POST', headers, body: PROBE });
    const response = await yoga.fetch(probe);
    const body = await response.text();
    if (response.status === 200 && !(JSON.parse(body) as { errors?: unknown }).errors) return { ok: true, client: clientOf(probe).name };
    return { ok: false, status: response.status === 200 ? 403 : response.status, body };
  };
}
