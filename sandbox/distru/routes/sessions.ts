import type { FastifyInstance } from 'fastify';
import { entry, errorReply } from '../errors.js';
import { parseBody, send } from '../http.js';
import { deleteSessionsRequest, loginRequest } from '../schemas.js';
import type { DistruStore } from '../store.js';

/**
 * Seed 002, "Authentication": log in with email and password for a session JWT, trade the session
 * for a long-term API token, then delete the session. The document truncates the two responses
 * after their first fields; the rest of each body is the sandbox's choice (docs/vendors/distru.md).
 */
export function sessionRoutes(app: FastifyInstance, store: DistruStore): void {
  app.post('/api/v1/sessions', async (request, reply) => {
    const body = parseBody(request, reply, loginRequest);
    if (!body) return reply;
    if (!store.sessions.checkPassword(body.session.email, body.session.password)) {
      return send(reply, errorReply(401, [entry('Invalid email or password', ['session'], 'body')]));
    }
    const user = store.apiUser;
    return send(reply, { status: 200, body: { jwt: store.sessions.openSession(), user: { api_key: null, banned: user.banned, email: user.email, full_name: user.fullName, id: user.id } } });
  });

  app.get('/api/v1/sessions/generate_api_token', async (_request, reply) => {
    const company = store.self;
    return send(reply, {
      status: 200,
      body: {
        company: {
          api_token: store.sessions.mintApiToken(),
          hubspot_company_id: null,
          id: company.id,
          name: company.name,
          qb_purchase_deposit_to_account_id: null,
          settings_calendar_default_invoice_date: 'due_date',
          settings_invoice_date_based_off_order_delivery_date: false,
          settings_leaflink_sync_payments: false,
          settings_tableau_site_id: null,
        },
      },
    });
  });

  app.post('/api/v1/sessions/delete', async (request, reply) => {
    const body = parseBody(request, reply, deleteSessionsRequest);
    if (!body) return reply;
    // Only session tokens end here; an API token in the list stays valid (it is revoked in Distru's UI).
    return send(reply, { status: 200, body: { deleted: store.sessions.deleteSessions(body.tokens) } });
  });
}
