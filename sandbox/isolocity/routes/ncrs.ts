import type { FastifyInstance } from 'fastify';
import { validationFailed } from '../errors.js';
import { created, FieldErrors, lookup, ok, paginate, parse, route, UPDATE } from '../http.js';
import type { Ncr } from '../records.js';
import { ncrCreate, ncrListQuery, ncrUpdate } from '../schemas.js';
import { nowIso, type IsolocityStore } from '../store.js';

const contains = (value: string | null, needle: string): boolean => value !== null && value.toLowerCase().includes(needle);

/**
 * NCRs. `keyword` matches ncr_number, lot_number and description (case-insensitive substring);
 * `status` and `source` match whole values in any case ("source=Internal" as the document shows).
 * `ncr_number` is unique, so a retried create is refused rather than duplicated.
 */
export function ncrRoutes(app: FastifyInstance, store: IsolocityStore): void {
  route(app, 'GET', '/ncrs', (request) => {
    const q = parse(ncrListQuery, request.query);
    if (!q.ok) return q.reply;
    const keyword = q.value.keyword?.trim().toLowerCase() || undefined;
    const status = q.value.status?.toLowerCase() || undefined;
    const source = q.value.source?.toLowerCase() || undefined;
    const all = store.ncrs.all();
    const rows =
      keyword === undefined && status === undefined && source === undefined
        ? all
        : all.filter(
            (n) =>
              (status === undefined || n.status.toLowerCase() === status) &&
              (source === undefined || n.source.toLowerCase() === source) &&
              (keyword === undefined || contains(n.ncr_number, keyword) || contains(n.lot_number, keyword) || contains(n.description, keyword)),
          );
    return paginate(rows, q.value);
  });

  route(app, 'POST', '/ncrs', (request) => {
    const body = parse(ncrCreate, request.body);
    if (!body.ok) return body.reply;
    const b = body.value;
    const errors = new FieldErrors();
    if (store.ncrIdByNumber.has(b.ncr_number)) errors.taken('ncr_number');
    if (b.part_id != null && !store.parts.has(b.part_id)) errors.invalid('part_id');
    if (!errors.empty) return validationFailed(errors.errors);
    const at = nowIso();
    const build = (id: number): Ncr => ({
      id,
      ncr_number: b.ncr_number,
      source: b.source,
      // The create body has no status: a new NCR is open.
      status: 'Open',
      lot_number: b.lot_number ?? null,
      quantity: b.quantity ?? null,
      description: b.description ?? null,
      immediate_action: b.immediate_action ?? null,
      is_root_cause_determined: b.is_root_cause_determined ?? false,
      has_incomplete_action_items: b.has_incomplete_action_items ?? false,
      has_unread_notes: b.has_unread_notes ?? false,
      part_id: b.part_id ?? null,
      created_at: at,
      updated_at: at,
    });
    return created(store.addNcr(build));
  });

  route(app, 'GET', '/ncrs/:id', (request) => {
    const ncr = lookup(store.ncrs, request, 'NCR');
    return ncr.ok ? ok(ncr.value) : ncr.reply;
  });

  route(app, UPDATE, '/ncrs/:id', (request) => {
    const ncr = lookup(store.ncrs, request, 'NCR');
    if (!ncr.ok) return ncr.reply;
    const body = parse(ncrUpdate, request.body);
    if (!body.ok) return body.reply;
    const { esignature_password: _password, esignature_reason: _reason, ...changes } = body.value;
    const errors = new FieldErrors();
    const holder = changes.ncr_number === undefined ? undefined : store.ncrIdByNumber.get(changes.ncr_number);
    if (holder !== undefined && holder !== ncr.value.id) errors.taken('ncr_number');
    if (changes.part_id != null && !store.parts.has(changes.part_id)) errors.invalid('part_id');
    if (!errors.empty) return validationFailed(errors.errors);
    return ok(store.updateNcr(ncr.value, changes));
  });
}
