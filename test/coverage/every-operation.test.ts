import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { buildSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadVendor, VENDORS, VENDOR_PREFIX, type OperationModel, type VendorModel } from '../../scripts/vendor-api/model.js';
import { loadSchemaSdl } from '../../src/server/schema-files.js';
import { startStack, type Stack } from '../support/stack.js';
import { IdBook, kindKey, marker, returnTypeName, selection, valueFor, type ValueContext } from './operation-cases.js';

/**
 * Every operation of docs/vendors/coverage.json, called through GraphQL against the four sandboxes
 * (one stack, sequential). Cases are generated from the descriptions, not written per operation:
 * reads run first (their ids feed the writes), then creates (each read back: the new record
 * carries the value we sent), the reads that need an id, updates (read back), actions and bulk
 * writes, and deletes last (read back: gone).
 */
interface Outcome {
  vendor: string;
  operationId: string;
  graphql: string;
  ok: boolean;
  /** What was checked beyond "answered without errors". */
  checked: string;
  problem?: string;
}

/**
 * Operations that cannot succeed through opsgraph by design, with the answer they must give.
 * Distru's "Getting an API token" wants the short-lived session JWT as its credentials; opsgraph
 * always sends its configured API token (a caller never replaces credentials: src/http/vendor-http.ts).
 */
const EXPECTED_REFUSALS: Record<string, { code: string; why: string }> = {
  'distru.generateApiToken': { code: 'VENDOR_AUTH_FAILED', why: 'the endpoint takes a session JWT, opsgraph sends its API token' },
  'pharus.purchaseOrderPdf': { code: 'UNSUPPORTED_OPERATION', why: 'a PDF is not passed through GraphQL' },
  'pharus.uploadDocument': { code: 'UNSUPPORTED_OPERATION', why: 'a multipart upload is not passed through GraphQL' },
};

/** What a rule-aware case may look at: the run's ids, the last answer of each operation, GraphQL. */
interface RuleContext {
  ids: IdBook;
  answers: ReadonlyMap<string, unknown>;
  gql: Stack['gql'];
}
type InputRule = (args: Record<string, unknown>, run: RuleContext) => Promise<void>;

/**
 * Inputs that satisfy the rules a vendor document states and the sandbox enforces (issue 12), where
 * the values made from the JSON Schema alone would be refused. Each rule changes only what the rule
 * is about; everything else stays generated.
 */
const INPUT_RULES: Record<string, InputRule> = {
  // doc 001 "Transfer materials/FG": source and destination must differ (the sandbox's validation_failed).
  'pharus.createMaterialsTransfer': otherDestination,
  'pharus.createFgTransfer': otherDestination,
  // doc 001 "Complete … in-transit transfer": the ref the outbound leg answered, of the same ledger.
  'pharus.completeMaterialsTransfer': refOf('createMaterialsTransfer'),
  'pharus.completeFgTransfer': refOf('createFgTransfer'),
  // doc 001 "Add sales order item": one line per SKU (conflict otherwise): a SKU the order does not hold yet.
  // The delete of an item (removeSalesOrderItem) then removes the item this add made.
  'pharus.addSalesOrderItem': skuNotOnOrder,
  // … and an item moved to another SKU must not repeat one its order holds either.
  'pharus.updateSalesOrderItem': skuNotOnItemsOrder,
};

async function otherDestination(args: Record<string, unknown>, run: RuleContext): Promise<void> {
  const other = run.ids.all('location').find((id) => id !== args.sourceLocationId);
  if (other === undefined) throw new Error('the reads showed fewer than two Pharus locations: no transfer can be made');
  args.destinationLocationId = other;
}

function refOf(createOperation: string): InputRule {
  return async (args, run) => {
    const answer = run.answers.get(`pharus.${createOperation}`) as { result?: { ref?: unknown } } | undefined;
    if (typeof answer?.result?.ref !== 'string') throw new Error(`${createOperation} answered no ref to complete`);
    args.ref = answer.result.ref;
  };
}

async function skuNotOnOrder(args: Record<string, unknown>, run: RuleContext): Promise<void> {
  const r = await run.gql<{ pharus: { salesOrder: { items: { skuId: string }[] } | null } }>('query($id: ID!) { pharus { salesOrder(id: $id) { items { skuId } } } }', { id: args.id });
  const held = new Set<unknown>((r.data?.pharus.salesOrder?.items ?? []).map((i) => i.skuId));
  const free = run.ids.all('sku').find((id) => !held.has(id));
  if (free === undefined) throw new Error(`every SKU the reads showed is already on sales order ${String(args.id)}`);
  args.skuId = free;
}

async function skuNotOnItemsOrder(args: Record<string, unknown>, run: RuleContext): Promise<void> {
  const added = (run.answers.get('pharus.addSalesOrderItem') as { salesOrderItem?: { vendorId?: unknown; salesOrderId?: unknown } } | undefined)?.salesOrderItem;
  const orderId = added !== undefined && added.vendorId === args.id ? added.salesOrderId : undefined;
  if (typeof orderId !== 'string') throw new Error(`sales order item ${String(args.id)} is not the one addSalesOrderItem made`);
  const onOrder: Record<string, unknown> = { id: orderId, skuId: args.skuId };
  await skuNotOnOrder(onOrder, run);
  args.skuId = onOrder.skuId;
}

/** Path ids whose record kind is not the path's: Pharus "Get BOM for a SKU" takes the SKU's id. */
const PATH_KINDS: Record<string, string> = { '/boms/{id}': 'sku' };

/** Fields any record keeps as written: the marker a create or update sends goes into one of these first. */
const PLAIN_TEXT = /^(name|notes|description|comments|title|label|displayName|firstName|car_number|po_number|inspector_name|notes_text)$/;
const ACTIONS = /\/(complete|reactivate|resend|accept|decline|leave|pdf|in-use|find-or-create|bulk|bulk-import)$/;
const schema = buildSchema(loadSchemaSdl());
const coverage = JSON.parse(readFileSync(new URL('../../docs/vendors/coverage.json', import.meta.url), 'utf8')) as { operations: { operationId: string; vendor: string; graphql: string }[] };

describe('every documented vendor operation through GraphQL (docs/vendors/coverage.json)', () => {
  let stack: Stack;
  beforeAll(async () => {
    // Reachability, not the per-request budget: a list with its links may take more than 50 calls.
    stack = await startStack({ env: { MAX_VENDOR_CALLS_PER_REQUEST: '5000' } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('reaches each one against the sandboxes: reads answer in the described shape, writes show in the next read', async () => {
    const outcomes: Outcome[] = [];
    for (const vendor of VENDORS) outcomes.push(...(await runVendor(stack, loadVendor(vendor))));
    const failures = outcomes.filter((o) => !o.ok).map((o) => `${o.graphql}: ${o.problem}`);
    expect(failures).toEqual([]);
    expect(outcomes.map((o) => `${o.vendor}.${o.operationId}`).sort()).toEqual(coverage.operations.map((o) => `${o.vendor}.${o.operationId}`).sort());
    // The operations with rule-aware inputs did what they are for, and their deletes found something to delete.
    const ruled = outcomes.filter((o) => `${o.vendor}.${o.operationId}` in INPUT_RULES || o.operationId === 'removeSalesOrderItem');
    expect(ruled.map((o) => `${o.operationId}: ${o.checked}`).sort()).toEqual([
      'addSalesOrderItem: read back',
      'completeFgTransfer: read back: the ledger by ref',
      'completeMaterialsTransfer: read back: the ledger by ref',
      'createFgTransfer: read back: the ledger by ref',
      'createMaterialsTransfer: read back: the ledger by ref',
      'removeSalesOrderItem: read back: gone from the list',
      'updateSalesOrderItem: read back',
    ]);
    // Writes whose result a read showed afterwards (the rest have no read of their kind, or are actions).
    const readBack = outcomes.filter((o) => o.checked.startsWith('read back')).length;
    expect(readBack).toBeGreaterThanOrEqual(110);
    // What is still refused, and only that: the three by design, and the delete of a document no upload could make.
    expect(outcomes.filter((o) => o.checked.startsWith('refused')).map((o) => `${o.vendor}.${o.operationId}`).sort()).toEqual(['distru.generateApiToken', 'pharus.deleteDocument', 'pharus.purchaseOrderPdf', 'pharus.uploadDocument']);
  }, 180_000);
});

async function runVendor(stack: Stack, model: VendorModel): Promise<Outcome[]> {
  const ids = new IdBook();
  const answers = new Map<string, unknown>();
  const created = new Map<string, string[]>();
  const outcomes: Outcome[] = [];
  const P = VENDOR_PREFIX[model.vendor];
  const ops = model.operations;
  const isList = (op: OperationModel) => op.kind === 'read' && op.paging !== null;
  const needsArgs = (op: OperationModel) => op.params.some((p) => p.required && !op.pagingParams.has(p.name));
  const isCreate = (op: OperationModel) => op.kind === 'write' && op.method === 'POST' && !/\}$/.test(op.path) && !ACTIONS.test(op.path) && !!op.record;
  const isUpdate = (op: OperationModel) => op.kind === 'write' && (op.method === 'PUT' || op.method === 'PATCH') && /\}$/.test(op.path) && !!op.record;
  const isDelete = (op: OperationModel) => op.kind === 'write' && op.method === 'DELETE';
  const depth = (op: OperationModel) => (op.path.match(/\{/g) ?? []).length;
  const getOf = (kind: string) => ops.find((o) => o.kind === 'read' && !o.paging && o.record && kindKey(o.record) === kind && /\}$/.test(o.path) && !ACTIONS.test(o.path));

  async function call(op: OperationModel, args: Record<string, unknown>): Promise<{ data: unknown; errors?: string }> {
    if (op.kind === 'read') {
      const parent = `${P}Query`;
      const { name } = returnTypeName(schema, parent, op.field);
      const inner = name.endsWith('Connection') ? `totalCount pageInfo { hasNextPage endCursor } nodes { ${selection(schema, name.replace(/Connection$/, ''), 1) || '__typename'} }` : selection(schema, name) || '';
      const argText = Object.keys(args).map((k) => `${k}: $${k}`).join(', ');
      const vars = Object.keys(args).map((k) => `$${k}: ${argType(parent, op.field, k)}`).join(', ');
      const query = `query${vars ? `(${vars})` : ''} { ${model.vendor} { ${op.field}${argText ? `(${argText})` : ''}${inner ? ` { ${inner} }` : ''} } }`;
      const r = await stack.gql<Record<string, Record<string, unknown>>>(query, args);
      return { data: r.data?.[model.vendor]?.[op.field], ...(r.errors ? { errors: describeErrors(r.errors) } : {}) };
    }
    const rule = INPUT_RULES[`${model.vendor}.${op.operationId}`];
    if (rule) await rule(args, { ids, answers, gql: stack.gql.bind(stack) });
    const payload = returnTypeName(schema, 'Mutation', op.field).name;
    const hasInput = (schema.getMutationType()!.getFields()[op.field]!.args ?? []).some((a) => a.name === 'input');
    const query = `mutation${hasInput ? `($input: ${argType('Mutation', op.field, 'input')})` : ''} { ${op.field}${hasInput ? '(input: $input)' : ''} { ${selection(schema, payload, 3) || '__typename'} } }`;
    const r = await stack.gql<Record<string, unknown>>(query, hasInput ? { input: args } : {});
    answers.set(`${model.vendor}.${op.operationId}`, r.data?.[op.field]);
    return { data: r.data?.[op.field], ...(r.errors ? { errors: describeErrors(r.errors) } : {}) };
  }

  function argType(parent: string, field: string, arg: string): string {
    if (arg === 'first') return 'Int';
    const type = (parent === 'Mutation' ? schema.getMutationType()! : (schema.getType(parent) as ReturnType<typeof schema.getMutationType> & object)).getFields()[field]!.args.find((a) => a.name === arg)!.type;
    return type.toString();
  }

  /** Values for the operation's inputs: path ids of the right kind, required fields, plus `extra`. */
  function inputsOf(op: OperationModel, options: { optionalText?: boolean } = {}): { args: Record<string, unknown>; sent?: [string, string] } {
    const ctx: ValueContext = { model, op, ids };
    const args: Record<string, unknown> = {};
    const segments = op.path.split('/');
    let sent: [string, string] | undefined;
    for (const p of op.params) {
      if (op.pagingParams.has(p.name)) continue;
      if (p.in === 'path') {
        const i = segments.indexOf(`{${p.name}}`);
        const owner = i === segments.length - 1 && op.record ? kindKey(op.record) : singularKind(segments[i - 1] ?? '');
        const pathKind = PATH_KINDS[op.path] ?? owner;
        const id = p.name === 'ref' || p.name === 'token' ? ids.latest(p.name) : (ids.latest(pathKind) ?? ids.latest(kindKey(op.record ?? '')));
        // No record of the kind: an id of the right form, which the vendor will not know.
        args[p.arg] = id ?? (p.schema.format === 'uuid' ? randomUUID() : '999999');
        continue;
      }
      if (p.required) {
        const v = valueFor(p.name, p.schema, ctx);
        if (v !== undefined) args[p.arg] = v;
      } else if (p.in === 'body' && p.name !== 'id' && /(_id|Id)$/.test(p.name) && ids.first(kindKey(p.name.replace(/(_id|Id)$/, ''))) !== undefined) {
        args[p.arg] = valueFor(p.name, p.schema, ctx);
      }
    }
    if (options.optionalText) {
      const free = op.params.filter((p) => p.in === 'body' && !p.required && textField(p.schema));
      const candidate = free.find((p) => PLAIN_TEXT.test(p.name)) ?? free.find((p) => !/(_id|Id|date|Date|At|time|email|password|country|order|source|status|type|unit\w*|mabd|warehouse|supplier|customer|destination|transaction|invoice|billTo|shipTo)$/i.test(p.name));
      if (candidate) {
        sent = [candidate.arg, marker()];
        args[candidate.arg] = sent[1];
      }
    }
    if (op.body === 'array' && op.bodyRows) {
      const row = valueFor('row', op.bodyRows, { model, op, ids }) as Record<string, unknown>;
      // A bulk update names existing records.
      if (op.method !== 'POST' && op.record) row.id = Number(ids.latest(kindKey(op.record)));
      args.rows = [row];
    }
    if (op.operationId === 'createSession') {
      const { email, password } = stack.sandboxes.handles.distru!.credentials;
      args.session = { email, password, mobile: false };
    }
    return { args, ...(sent ? { sent } : {}) };
  }

  function remember(value: unknown, typeHint?: string | null): void {
    if (!value || typeof value !== 'object') return;
    if (Array.isArray(value)) return value.forEach((v) => remember(v, typeHint));
    const record = value as Record<string, unknown>;
    if (typeof record.__typename === 'string' && record.vendorId !== undefined) ids.add(record.__typename, record.vendorId);
    else if (typeHint && record.vendorId !== undefined) ids.add(typeHint, record.vendorId);
    for (const key of ['ref', 'token', 'warehouse']) if (typeof record[key] === 'string') ids.add(key, record[key]);
    for (const [k, v] of Object.entries(record)) if (v && typeof v === 'object' && k !== 'pageInfo') remember(v, k === 'nodes' ? typeHint : null);
  }

  async function readBack(kind: string, id: string, expect?: [string, string], writeArgs?: { path: string; args: Record<string, unknown> }): Promise<string | null> {
    const get = getOf(kind);
    if (!get) return readBackInList(kind, id, expect, writeArgs);
    const idParam = [...get.params].reverse().find((p) => p.in === 'path')!;
    const { args } = inputsOf(get);
    args[idParam.arg] = id;
    const r = await call(get, args);
    if (r.errors) return `read back failed: ${r.errors}`;
    const text = JSON.stringify(r.data);
    if (!text.includes(id)) return `read back does not show ${id}`;
    if (expect && text.includes(`"${expect[0]}":`) && !text.includes(expect[1])) return `read back does not show ${expect[0]} = ${expect[1]}`;
    return '';
  }

  /**
   * Without a read of one record: the kind's list (a large first page) must hold it. A list that
   * needs its parent's id (Pharus "List sales order items") gets the newest parent, or the write's
   * own path ids when it lists the collection the write posted to.
   */
  async function readBackInList(kind: string, id: string, expect?: [string, string], writeArgs?: { path: string; args: Record<string, unknown> }): Promise<string | null> {
    const r = await listOf(kind, writeArgs);
    if (r === null) return null;
    if (r.errors) return `read back failed: ${r.errors}`;
    const text = JSON.stringify(r.data);
    if (!text.includes(id)) return `the list does not show ${id}`;
    if (expect && text.includes(`"${expect[0]}":`) && !text.includes(expect[1])) return `the list does not show ${expect[0]} = ${expect[1]}`;
    return '';
  }

  async function listOf(kind: string, writeArgs?: { path: string; args: Record<string, unknown> }): Promise<{ data: unknown; errors?: string } | null> {
    const lists = ops.filter((o) => o.kind === 'read' && o.paging && o.record && kindKey(o.record) === kind);
    const list = lists.find((o) => !needsArgs(o)) ?? lists.find((o) => o.params.every((p) => !p.required || p.in === 'path'));
    if (!list) return null;
    const args = inputsOf(list).args;
    if (writeArgs?.path === list.path) for (const p of list.params) if (p.in === 'path' && writeArgs.args[p.arg] !== undefined) args[p.arg] = writeArgs.args[p.arg];
    if (list.paging?.style !== 'none') args.first = 200;
    return call(list, args);
  }

  /** Pharus transfers have no read of their own: the ledger of their kind, asked by the transfer's ref, shows each leg. */
  async function ledgerShows(op: OperationModel, answer: unknown): Promise<string> {
    const ledger = /Materials/.test(op.operationId) ? 'materialsLedger' : 'fgLedger';
    const legs = op.operationId.startsWith('complete') ? ['TRANSFER', 'RECEIVE'] : ['TRANSFER'];
    // A create answers `result { ref }`, a completion the RECEIVE entry (`<ledger>Transfer { ref }`).
    const payload = (answer ?? {}) as Record<string, { ref?: unknown } | null | undefined>;
    const refValue = (payload.result ?? Object.entries(payload).find(([k]) => k !== '__typename')?.[1])?.ref;
    if (typeof refValue !== 'string') return `answered no ref: ${JSON.stringify(answer).slice(0, 200)}`;
    const r = await stack.gql<{ pharus: Record<string, { eventType: string; ref: string }[] | null> }>(`query($ref: String) { pharus { ${ledger}(ref: $ref) { eventType ref } } }`, { ref: refValue });
    if (r.errors) return `read back failed: ${describeErrors(r.errors)}`;
    const seen = (r.data?.pharus[ledger] ?? []).filter((e) => e.ref === refValue).map((e) => e.eventType).sort();
    return JSON.stringify(seen) === JSON.stringify(legs.sort()) ? '' : `the ${ledger} of ${refValue} shows ${JSON.stringify(seen)}, not ${JSON.stringify(legs)}`;
  }
  const TRANSFER_OPS = /^(create|complete)(Materials|Fg)Transfer$/;

  const record = (op: OperationModel, ok: boolean, checked: string, problem?: string) => {
    const expected = EXPECTED_REFUSALS[`${model.vendor}.${op.operationId}`];
    if (!ok && expected && problem?.startsWith(expected.code)) return pushOutcome(op, true, `refused as expected: ${expected.why}`);
    pushOutcome(op, ok, checked, problem);
  };
  const pushOutcome = (op: OperationModel, ok: boolean, checked: string, problem?: string) =>
    outcomes.push({ vendor: model.vendor, operationId: op.operationId, graphql: op.kind === 'read' ? `Query.${model.vendor}.${op.field}` : `Mutation.${op.field}`, ok, checked, ...(problem ? { problem } : {}) });

  // 1. Reads that need no id: their ids feed everything else.
  for (const op of ops.filter((o) => o.kind === 'read' && !needsArgs(o))) {
    const r = await call(op, inputsOf(op).args);
    const shapeOk = r.data !== undefined && (!isList(op) || op.paging?.style === 'none' ? true : Array.isArray((r.data as { nodes?: unknown }).nodes));
    remember(r.data, typeOfRead(op));
    record(op, !r.errors && shapeOk, 'described shape', r.errors ?? (shapeOk ? undefined : 'no nodes'));
  }
  // 2. Creates, parents first; a create that needs an id made later gets a second chance.
  const creates = ops.filter(isCreate).sort((a, b) => depth(a) - depth(b));
  let pending = creates;
  for (let pass = 0; pass < 2 && pending.length; pass++) {
    const failed: OperationModel[] = [];
    for (const op of pending) {
      const { args, sent } = inputsOf(op, { optionalText: true });
      const r = await call(op, args);
      if (r.errors) {
        if (pass === 0) failed.push(op);
        else record(op, false, 'create', r.errors);
        continue;
      }
      remember(r.data, null);
      const kind = kindKey(op.record!);
      const id = ids.latest(kind);
      if (id) created.set(kind, [...(created.get(kind) ?? []), id]);
      if (model.vendor === 'pharus' && TRANSFER_OPS.test(op.operationId)) {
        const problem = await ledgerShows(op, r.data);
        record(op, !problem, 'read back: the ledger by ref', problem || undefined);
        continue;
      }
      const problem = id ? await readBack(kind, id, sent, { path: op.path, args }) : null;
      record(op, !problem, problem === null ? 'answered; no read of this kind' : 'read back', problem || undefined);
    }
    pending = failed;
  }
  // 3. Reads that need an id.
  for (const op of ops.filter((o) => o.kind === 'read' && needsArgs(o))) {
    const r = await call(op, inputsOf(op).args);
    remember(r.data, typeOfRead(op));
    const empty = r.data === null && !/\}$/.test(op.path);
    record(op, !r.errors && !empty, 'described shape', r.errors ?? (empty ? 'null' : undefined));
  }
  // 4. Updates, read back.
  for (const op of ops.filter(isUpdate)) {
    const { args, sent } = inputsOf(op, { optionalText: true });
    const r = await call(op, args);
    if (r.errors) {
      record(op, false, 'update', r.errors);
      continue;
    }
    const kind = kindKey(op.record!);
    const idArg = [...op.params].reverse().find((p) => p.in === 'path')!.arg;
    const problem = await readBack(kind, String(args[idArg]), sent);
    record(op, !problem, problem === null ? 'answered; no read of this kind' : 'read back', problem || undefined);
  }
  // 5. Actions, bulk writes and other writes: answered in the described shape.
  for (const op of ops.filter((o) => o.kind === 'write' && !isCreate(o) && !isUpdate(o) && !isDelete(o))) {
    const r = await call(op, inputsOf(op).args);
    remember(r.data, null);
    if (!r.errors && model.vendor === 'pharus' && TRANSFER_OPS.test(op.operationId)) {
      const problem = await ledgerShows(op, r.data);
      record(op, !problem, 'read back: the ledger by ref', problem || undefined);
      continue;
    }
    record(op, !r.errors, 'described shape', r.errors);
  }
  // 6. Deletes, of what this run created where it can; read back: gone.
  // Children before parents (the reverse of creation): deleting an order first would take its items along.
  const createdOrder = [...created.keys()];
  const deletes = ops.filter(isDelete).sort((a, b) => createdOrder.indexOf(kindKey(b.record ?? '')) - createdOrder.indexOf(kindKey(a.record ?? '')));
  for (const op of deletes) {
    const kind = op.record ? kindKey(op.record) : '';
    // A fresh record of the kind, so that nothing else this run made refers to it.
    const create = creates.find((c) => c.record && kindKey(c.record) === kind);
    if (create) {
      const fresh = await call(create, inputsOf(create).args);
      if (!fresh.errors) remember(fresh.data, null);
    }
    const ours = create ? ids.latest(kind) : created.get(kind)?.pop();
    const { args } = inputsOf(op);
    const idParam = [...op.params].reverse().find((p) => p.in === 'path');
    if (idParam && ours) args[idParam.arg] = ours;
    const r = await call(op, args);
    if (r.errors && !ours && /^NOT_FOUND/.test(r.errors)) {
      // Nothing of this kind exists to delete (its create is not available): the vendor's 404 must arrive as NOT_FOUND.
      record(op, true, 'refused as NOT_FOUND (nothing to delete)');
      continue;
    }
    if (r.errors) {
      record(op, false, 'delete', r.errors);
      continue;
    }
    if (ours) ids.forget(kind, ours);
    if (ours && getOf(kind)) {
      const get = getOf(kind)!;
      const getArgs = inputsOf(get).args;
      getArgs[[...get.params].reverse().find((p) => p.in === 'path')!.arg] = ours;
      const after = await call(get, getArgs);
      const gone = after.data === null || /NOT_FOUND/.test(after.errors ?? '');
      record(op, gone, 'read back: gone', gone ? undefined : `still readable: ${JSON.stringify(after.data).slice(0, 120)}`);
    } else if (ours) {
      // No read of one record: the kind's list must no longer hold it, or hold it inactive (Pharus
      // order channels are deleted softly: doc 001 keeps them for the orders that name them).
      const list = await listOf(kind);
      const left = list && !list.errors ? listed(list.data, ours) : undefined;
      const gone = list === null ? null : !list.errors && (left === undefined || left.isActive === false);
      record(op, gone !== false, gone === null ? 'answered' : 'read back: gone from the list', gone === false ? `the list still shows ${ours}${list?.errors ? ` (${list.errors})` : ''}` : undefined);
    } else record(op, true, 'answered');
  }
  return outcomes;

  function typeOfRead(op: OperationModel): string | null {
    const { name } = returnTypeName(schema, `${P}Query`, op.field);
    return name.replace(/Connection$/, '');
  }
}

/** The record of a list answer (a connection or a plain list) with this vendor id. */
function listed(data: unknown, vendorId: string): Record<string, unknown> | undefined {
  const items = (Array.isArray(data) ? data : ((data as { nodes?: unknown[] } | null)?.nodes ?? [])) as Record<string, unknown>[];
  return items.find((item) => item?.vendorId === vendorId);
}

function describeErrors(errors: { message: string; extensions?: Record<string, unknown> }[]): string {
  return errors.map((e) => `${String(e.extensions?.code)}: ${e.message}${e.extensions?.fields ? ` ${JSON.stringify(e.extensions.fields)}` : ''}`).join(' | ');
}

function textField(schema: { type?: string | string[]; enum?: unknown[]; format?: string; pattern?: string; $ref?: string }): boolean {
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  return types.includes('string') && !schema.enum && !schema.format && !schema.pattern;
}

function singularKind(segment: string): string {
  const words = segment.split('-');
  const last = words.pop() ?? '';
  const single = last.endsWith('ies') ? `${last.slice(0, -3)}y` : last.endsWith('s') && !last.endsWith('ss') ? last.slice(0, -1) : last;
  return [...words, single].join('').toLowerCase();
}

