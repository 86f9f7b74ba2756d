import type { FastifyInstance } from 'fastify';
import { inRange } from '../datetime.js';
import { parseQuery, send } from '../http.js';
import { listBody, listQuery, paging, takePage } from '../query.js';
import type { DistruRenderer } from '../render.js';
import type { DistruStore } from '../store.js';

/** Per-endpoint page size maximum of the catalog lists (the document gives none: docs/vendors/distru.md). */
export const CATALOG_MAX_PAGE_SIZE = 500;

/** Seed 002: products, batches, packages, companies and locations are "sorted by their creation date" and filter by inserted/updated datetime. */
const catalogQuery = listQuery(['inserted_datetime', 'updated_datetime'], {});

interface Dated {
  insertedAt: number;
  updatedAt: number;
}

export function catalogRoutes(app: FastifyInstance, store: DistruStore, render: DistruRenderer): void {
  const list = <T extends Dated>(path: string, records: () => readonly T[], toJson: (record: T) => unknown) => {
    app.get(path, async (request, reply) => {
      const query = parseQuery(request, reply, catalogQuery);
      if (!query) return reply;
      const { inserted_datetime: inserted, updated_datetime: updated } = query;
      const page = paging(query, Math.min(CATALOG_MAX_PAGE_SIZE, store.maxPageSize));
      const { records: found, more } = takePage(records(), (r) => (!inserted || inRange(r.insertedAt, inserted)) && (!updated || inRange(r.updatedAt, updated)), page);
      return send(reply, { status: 200, body: listBody(request, found.map(toJson), page, more) });
    });
  };
  list('/public/v1/products', () => store.productList, (p) => render.product(p));
  list('/public/v1/batches', () => store.batchList, (b) => render.batch(b));
  list('/public/v1/packages', () => store.packageList, (p) => render.package(p));
  list('/public/v1/companies', () => store.companyList, (c) => render.company(c));
  list('/public/v1/locations', () => store.locationList, (l) => render.location(l));
}
