import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fixture Pharus that answers exactly as Pharus's own per-endpoint pages show
 * (https://docs.pharus.ai/internal/api/endpoints/…): the response bodies below are the pages'
 * samples with the placeholder "uuid"s replaced by fixed ids, nothing added. It is deliberately not
 * the sandbox: a misreading shared by our sandbox and our gateway cannot pass here.
 *
 * - E108 summary: `{ data: [{ skuId, locationId, onHand: "480", demand: "50", allocated: "30", available: "400" }] }`
 *   (the page's own numbers, even though 480 − 30 is not 400: the gateway must pass Pharus's figure on).
 * - E104 create transfer: 201 `{ ledgerEntry: { …, eventType: "TRANSFER", quantity: "100", ref: "TFR-FG-042", toLocationId }, ref }`.
 * - E105 complete (E098's sample, for finished goods): 200, the RECEIVE row at the destination, same ref, positive quantity.
 * - E109 ledger `?ref=`: `{ data: [ … ] }`, unpaginated, newest first.
 * - 422 `validation_failed` (E104: "the SKU is inactive"), 409 `conflict` (E149: the SKU is already
 *   on the order), 409 `invalid_transition` (E147), each in the standard envelope without `details`
 *   (the pages show none).
 * Lists the pages do not cover (SKUs, locations) answer `{ data }` as "List locations" does.
 */
export const IDS = {
  sku: '11111111-1111-4111-8111-111111111111',
  inactiveSku: '22222222-2222-4222-8222-222222222222',
  source: '33333333-3333-4333-8333-333333333333',
  destination: '44444444-4444-4444-8444-444444444444',
  order: '55555555-5555-4555-8555-555555555555',
  org: '66666666-6666-4666-8666-666666666666',
  transferRow: '77777777-7777-4777-8777-777777777777',
  receiveRow: '88888888-8888-4888-8888-888888888888',
} as const;
export const PAT = 'pharus_pat_Fixture0Fixture0Fixture0Fixture0';

const transferRow = {
  id: IDS.transferRow,
  orgId: IDS.org,
  code: 'FIL-001',
  skuId: IDS.sku,
  locationId: IDS.source,
  eventType: 'TRANSFER',
  quantity: '100',
  unitCost: null,
  ref: 'TFR-FG-042',
  toLocationId: IDS.destination,
  notes: '...',
  eventDate: '2026-06-10T00:00:00Z',
  sourceType: null,
  sourceId: null,
  createdAt: '2026-06-10T00:00:00Z',
};
const receiveRow = { id: IDS.receiveRow, code: 'FIL-002', skuId: IDS.sku, locationId: IDS.destination, eventType: 'RECEIVE', quantity: '100', ref: 'TFR-FG-042', toLocationId: null, createdAt: '2026-06-11T00:00:00Z', eventDate: '2026-06-11T00:00:00Z' };

type Reply = { status: number; body: unknown };
const error = (status: number, code: string, message: string): Reply => ({ status, body: { error: { code, message } } });

export interface PagesFixture {
  baseUrl: string;
  /** `METHOD path?query` of every request, in order. */
  requests: string[];
  /** Requests that carried an X-Org-Id header. */
  readonly withOrgHeader: number;
  /** Whether the transfer has been completed (the ledger then holds the RECEIVE row). */
  completed: boolean;
  close(): Promise<void>;
}

export async function startPharusPagesFixture(): Promise<PagesFixture> {
  const state = { completed: false, requests: [] as string[], withOrgHeader: 0 };
  const route = (method: string, path: string, query: URLSearchParams, body: Record<string, unknown>): Reply => {
    const key = `${method} ${path}`;
    switch (key) {
      case 'GET /api/skus':
        return {
          status: 200,
          body: { data: [{ id: IDS.sku, orgId: IDS.org, skuCode: 'FX-100', name: 'Fixture tincture', isActive: true }, { id: IDS.inactiveSku, orgId: IDS.org, skuCode: 'FX-OLD', name: 'Retired', isActive: false }] },
        };
      case `GET /api/skus/${IDS.sku}`:
        return { status: 200, body: { id: IDS.sku, orgId: IDS.org, skuCode: 'FX-100', name: 'Fixture tincture', isActive: true } };
      case 'GET /api/locations':
        return { status: 200, body: { data: [{ id: IDS.source, orgId: IDS.org, name: 'Main plant', isActive: true }, { id: IDS.destination, orgId: IDS.org, name: 'East warehouse', isActive: true }] } };
      case 'GET /api/finished-goods-inventory/summary':
        return { status: 200, body: { data: [{ skuId: IDS.sku, locationId: IDS.source, onHand: '480', demand: '50', allocated: '30', available: '400' }] } };
      case 'GET /api/finished-goods-inventory/ledger':
        if (query.get('ref') !== 'TFR-FG-042') return { status: 200, body: { data: [] } };
        return { status: 200, body: { data: state.completed ? [receiveRow, transferRow] : [transferRow] } };
      case 'POST /api/finished-goods-inventory/transfers':
        if (body.skuId === IDS.inactiveSku) return error(422, 'validation_failed', 'The SKU is inactive');
        return { status: 201, body: { ledgerEntry: transferRow, ref: 'TFR-FG-042' } };
      case 'POST /api/finished-goods-inventory/transfers/TFR-FG-042/complete':
        if (state.completed) return error(409, 'invalid_transition', 'Transfer already completed');
        state.completed = true;
        return { status: 200, body: receiveRow };
      case `POST /api/sales-orders/${IDS.order}/items`:
        return error(409, 'conflict', 'The SKU is already on this sales order');
      case `PATCH /api/sales-orders/${IDS.order}`:
        return error(409, 'invalid_transition', 'Status change not allowed from current state');
      default:
        return error(404, 'not_found', `No route ${key}`);
    }
  };

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fixture');
      state.requests.push(`${req.method ?? ''} ${url.pathname}${url.search}`);
      if (req.headers['x-org-id'] !== undefined) state.withOrgHeader++;
      // E005: an org-bound PAT needs no X-Org-Id; anything else is not this fixture's caller.
      const reply =
        req.headers.authorization !== `Bearer ${PAT}`
          ? error(401, 'unauthorized', 'Missing or invalid bearer token')
          : route(req.method ?? 'GET', url.pathname, url.searchParams, chunks.length > 0 ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>) : {});
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/api`,
    get requests() {
      return state.requests;
    },
    get withOrgHeader() {
      return state.withOrgHeader;
    },
    get completed() {
      return state.completed;
    },
    set completed(value: boolean) {
      state.completed = value;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
