import type { FastifyInstance, FastifyRequest } from 'fastify';
import { body, created, ok, params, query, route } from '../http.js';
import type { InventoryBook, LedgerFilter } from '../inventory.js';
import type { LedgerEntryRecord, LedgerEventType, StockCellRecord } from '../records.js';
import {
  completeTransfer,
  fgLedgerQuery,
  fgMovement,
  fgSummaryQuery,
  fgTransfer,
  idParams,
  materialLedgerQuery,
  materialMovement,
  materialSummaryQuery,
  materialTransfer,
  refParams,
} from '../schemas.js';
import { finishedGoodsSummaryJson, ledgerEntryJson, materialsSummaryJson, type ItemField } from '../serialize.js';
import type { PharusStore } from '../store.js';
import { notFound } from '../errors.js';
import { QUANTITY_PLACES } from '../decimal.js';
import { demandBySkuAndLocation, demandKey } from '../demand.js';
import { referenced } from './common.js';

/**
 * Document 001, "FinishedGoodsInventory" and "MaterialsInventory": the same operations on two
 * ledgers, at the paths, methods and statuses of Pharus's per-endpoint pages: under
 * `/finished-goods-inventory` (E104–E110, items are SKUs, `skuId`) and `/materials-inventory`
 * (E097–E103, items are materials, `materialId`): `summary`, `ledger`, `ledger/:id`,
 * `adjustments` (201), `disposals` (201), `transfers` (201), `transfers/:ref/complete` (200).
 * Summary and ledger answer `{ data }` whole: the pages declare no cursor or limit.
 */
interface Movement {
  locationId: string;
  quantity: number;
  notes?: string | null | undefined;
  eventDate?: Date | undefined;
}
interface Transfer {
  sourceLocationId: string;
  destinationLocationId: string;
  quantity: number;
  notes?: string | null | undefined;
  eventDate?: Date | undefined;
}
interface LedgerQuery {
  locationId?: string | undefined;
  eventType?: LedgerEventType | undefined;
  ref?: string | undefined;
  dateFrom?: { at: Date; wholeDay: boolean } | undefined;
  dateTo?: { at: Date; wholeDay: boolean } | undefined;
}

interface LedgerRoutes {
  path: string;
  itemField: ItemField;
  book: InventoryBook;
  /** `not_found` (naming the body field) unless the SKU or material exists. */
  requireItem: (id: string) => void;
  /** The summary rows of a read (the FG summary adds the demand side of open orders). */
  summaryJson: (store: PharusStore, cells: readonly StockCellRecord[]) => unknown[];
  /** Each parser returns the item id (`skuId` or `materialId`) as `itemId`, so one handler serves both ledgers. */
  parseMovement: (request: FastifyRequest) => Movement & { itemId: string };
  parseTransfer: (request: FastifyRequest) => Transfer & { itemId: string };
  parseSummaryQuery: (request: FastifyRequest) => { itemId?: string | undefined; locationId?: string | undefined };
  parseLedgerQuery: (request: FastifyRequest) => LedgerQuery & { itemId?: string | undefined };
}

const DAY = 86_400_000;

export function registerInventoryRoutes(app: FastifyInstance, store: PharusStore): void {
  registerLedger(app, store, {
    path: '/finished-goods-inventory',
    itemField: 'skuId',
    book: store.finishedGoods,
    requireItem: (id) => referenced(store.skus, 'SKU', id, 'skuId'),
    summaryJson: (current, cells) => {
      const open = demandBySkuAndLocation(current, 10 ** QUANTITY_PLACES);
      return cells.map((c) => finishedGoodsSummaryJson(c, open.get(demandKey(c.itemId, c.locationId))));
    },
    parseMovement: (request) => {
      const { skuId, ...rest } = body(request, fgMovement);
      return { itemId: skuId, ...rest };
    },
    parseTransfer: (request) => {
      const { skuId, ...rest } = body(request, fgTransfer);
      return { itemId: skuId, ...rest };
    },
    parseSummaryQuery: (request) => {
      const { skuId, ...rest } = query(request, fgSummaryQuery);
      return { itemId: skuId, ...rest };
    },
    parseLedgerQuery: (request) => {
      const { skuId, ...rest } = query(request, fgLedgerQuery);
      return { itemId: skuId, ...rest };
    },
  });
  registerLedger(app, store, {
    path: '/materials-inventory',
    itemField: 'materialId',
    book: store.materialsInventory,
    requireItem: (id) => referenced(store.materials, 'Material', id, 'materialId'),
    summaryJson: (_current, cells) => cells.map(materialsSummaryJson),
    parseMovement: (request) => {
      const { materialId, ...rest } = body(request, materialMovement);
      return { itemId: materialId, ...rest };
    },
    parseTransfer: (request) => {
      const { materialId, ...rest } = body(request, materialTransfer);
      return { itemId: materialId, ...rest };
    },
    parseSummaryQuery: (request) => {
      const { materialId, ...rest } = query(request, materialSummaryQuery);
      return { itemId: materialId, ...rest };
    },
    parseLedgerQuery: (request) => {
      const { materialId, ...rest } = query(request, materialLedgerQuery);
      return { itemId: materialId, ...rest };
    },
  });
}

function registerLedger(app: FastifyInstance, store: PharusStore, spec: LedgerRoutes): void {
  const { book, itemField } = spec;
  const entryJson = (e: LedgerEntryRecord) => ledgerEntryJson(store.orgId, itemField, e);
  const { requireItem } = spec;
  const requireLocation = (id: string, field: string) => referenced(store.locations, 'Location', id, field);

  route(app, 'GET', `${spec.path}/summary`, (request) => {
    const q = spec.parseSummaryQuery(request);
    return ok({ data: spec.summaryJson(store, book.summary(q.itemId, q.locationId)) });
  });

  route(app, 'GET', `${spec.path}/ledger`, (request) => {
    const q = spec.parseLedgerQuery(request);
    const filter: LedgerFilter = {
      itemId: q.itemId,
      locationId: q.locationId,
      eventType: q.eventType,
      ref: q.ref,
      from: q.dateFrom?.at,
      // `dateTo=2026-06-01` includes the whole of that day; a date-time bound includes that instant.
      before: q.dateTo === undefined ? undefined : new Date(q.dateTo.at.getTime() + (q.dateTo.wholeDay ? DAY : 1)),
    };
    return ok({ data: book.listLedger(filter).map(entryJson) });
  });

  route(app, 'GET', `${spec.path}/ledger/:id`, (request) => {
    const { id } = params(request, idParams);
    const entry = book.entry(id);
    if (entry === undefined) throw notFound('Ledger entry', id);
    return ok(entryJson(entry));
  });

  route(app, 'POST', `${spec.path}/adjustments`, (request) => {
    const m = spec.parseMovement(request);
    requireItem(m.itemId);
    requireLocation(m.locationId, 'locationId');
    return created(entryJson(book.adjust({ itemId: m.itemId, locationId: m.locationId, quantity: m.quantity, notes: m.notes ?? null, eventDate: m.eventDate ?? new Date() })));
  });

  route(app, 'POST', `${spec.path}/disposals`, (request) => {
    const m = spec.parseMovement(request);
    requireItem(m.itemId);
    requireLocation(m.locationId, 'locationId');
    return created(entryJson(book.dispose({ itemId: m.itemId, locationId: m.locationId, quantity: m.quantity, notes: m.notes ?? null, eventDate: m.eventDate ?? new Date() })));
  });

  route(app, 'POST', `${spec.path}/transfers`, (request) => {
    const t = spec.parseTransfer(request);
    requireItem(t.itemId);
    requireLocation(t.sourceLocationId, 'sourceLocationId');
    requireLocation(t.destinationLocationId, 'destinationLocationId');
    const { entry, ref } = book.transfer({
      itemId: t.itemId,
      sourceLocationId: t.sourceLocationId,
      destinationLocationId: t.destinationLocationId,
      quantity: t.quantity,
      notes: t.notes ?? null,
      eventDate: t.eventDate ?? new Date(),
    });
    return created({ ledgerEntry: entryJson(entry), ref });
  });

  route(app, 'POST', `${spec.path}/transfers/:ref/complete`, (request) => {
    const { ref } = params(request, refParams);
    // The body is optional: both of its fields are.
    const input = request.body === undefined ? {} : body(request, completeTransfer);
    return ok(entryJson(book.completeTransfer(ref, input.eventDate ?? new Date(), input.notes ?? null)));
  });
}
