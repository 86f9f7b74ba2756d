import type { GraphQLError } from 'graphql';
import type { z } from 'zod';
import type { SourceScope } from '../../cache/scope.js';
import type { Crosswalk } from '../../catalog/crosswalk.js';
import { forbiddenOnWrite } from '../../mutations/forbidden.js';
import { errorCode, vendorError } from '../../errors.js';
import type { VendorResponse } from '../../http/types.js';
import { camelCase, formatInputPath, type InputPath } from '../../mutations/field-path.js';
import type { InspectionRecord, NcrRecord, PartRecord } from '../../model/records.js';
import { derivedIntegerId } from '../../mutations/reconcile/marker.js';
import { parseVendorBody } from '../parse.js';
import type { IsolocityClient, WriteEndpoint } from './client.js';
import { toInspectionRecord, toNcrRecord, toSampleView, type InspectionSampleView } from './mapping.js';
import { errorBodySchema, inspectionSchema, ncrSchema, one, sampleSchema, type IsolocityNcr } from './schemas.js';
import type {
  AddInspectionSampleInput,
  CreateInspectionInput,
  CreateNcrInput,
  InspectionResultInput,
  NcrSourceInput,
  RecordInspectionResultInput,
  UpdateInspectionSampleInput,
  DeleteInspectionSampleInput,
  UpdateNcrInput,
} from './write-inputs.js';

/**
 * ISOlocity's writes (document 000_dc84e41bc020d3b8.txt: "Create a NCR record", "Update an existing
 * NCR record", "Create a new inspection", "Update an existing inspection", "Inspections Samples").
 * Each method takes an input already checked by write-inputs.ts, makes one vendor write (never
 * retried: the vendor may have applied it before failing), and maps the vendor's refusal onto the
 * GraphQL input:
 *
 * | vendor answer                                   | extensions.code      | extensions.inputPath          |
 * | ----------------------------------------------- | -------------------- | ----------------------------- |
 * | 422 `errors: {part_id: […]}` (types, references) | VALIDATION_FAILED    | the input field (`partId`)    |
 * | 422 where every error is "has already been taken" | CONFLICT            | the unique field (`number`)   |
 * | 404                                             | NOT_FOUND            | the id that names nothing     |
 * | 409                                             | CONFLICT             | —                             |
 * | 403 (VendorHttp: VENDOR_AUTH_FAILED, 403)        | FORBIDDEN            | —                             |
 * | other 4xx                                       | VENDOR_BAD_RESPONSE  | —                             |
 *
 * runMutation turns `inputPath` into `extensions.field` (`input.results[0].characteristicId`).
 * After a write — or a failure that leaves it unknown whether the vendor applied it — the runtime
 * forgets what its indexes held of the changed records (`afterWrite`).
 */

/** What a write changed: which of the runtime's cross-request indexes and caches held it. */
export type IsolocityChange =
  /** An NCR: the NCR index (by id and by part) and the NCRs-by-lot entries of its old and new lot. */
  | { kind: 'ncr'; ncrId: string | null; lots: readonly (string | null | undefined)[] }
  /** An inspection's own fields: the inspection index (by id and by part). */
  | { kind: 'inspection' };

/** What writes need from the runtime that owns the indexes. */
export interface WriteHooks {
  /** The part with this ISOlocity code, from the parts index (refreshed once on a miss, at most every few seconds). */
  partByCode(code: string, scope: SourceScope): Promise<PartRecord | null>;
  afterWrite(change: IsolocityChange): void;
  /** ISOLOCITY_TIMEZONE, for the timestamps of written records. */
  zone: string;
}

/** Where one write's answers point in the GraphQL input. */
interface Target {
  /** The mutation, for messages. */
  mutation: string;
  endpoint: WriteEndpoint;
  /** Vendor body keys whose input field is not their camelCase (`ncr_number` → `number`). */
  renames: Record<string, InputPath>;
  /** The input field naming what a 404 did not find. */
  notFound(message: string): InputPath;
}

const at =
  (...path: InputPath) =>
  (): InputPath =>
    path;

/** Samples: the 404 says which was missing ("Inspection 9 not found." / "Sample 9 not found."). */
const inspectionOrSample = (message: string): InputPath => (/^sample\b/i.test(message) ? ['sampleId'] : ['inspectionId']);

/** Create says "internal", update says "Internal" (document); the vendor accepts either case. */
const CREATE_SOURCE: Record<NcrSourceInput, string> = { INTERNAL: 'internal', CUSTOMER: 'customer', SUPPLIER: 'supplier' };
const UPDATE_SOURCE: Record<NcrSourceInput, string> = { INTERNAL: 'Internal', CUSTOMER: 'Customer', SUPPLIER: 'Supplier' };
/** `passed`: "Is inspection finalized, passed or not started. If not started set as null". */
const PASSED: Record<InspectionResultInput, boolean | null> = { PASSED: true, FAILED: false, NOT_STARTED: null };

/** The part an input names, as ISOlocity's id, and which input field named it (for the vendor's `part_id` errors). */
interface ResolvedPart {
  id: string;
  field: 'partId' | 'skuCode';
}

export class IsolocityWrites {
  constructor(
    private readonly client: IsolocityClient,
    private readonly scope: SourceScope,
    private readonly crosswalk: Crosswalk,
    private readonly hooks: WriteHooks,
  ) {}

  /**
   * POST /ncrs. `ncr_number` is unique in ISOlocity, so a retry can never make a second NCR: the
   * vendor refuses it (422 "taken"). A conflict caused by the client's own earlier write (its
   * answer was lost) is answered as success — with or without an idempotency key — when the NCR
   * under that number holds every field this input sets. An NCR that differs is CONFLICT on
   * `input.number`.
   */
  async createNcr(input: CreateNcrInput): Promise<NcrRecord> {
    const part = await this.resolvePart('createNcr', input);
    const body = ncrCreateBody(input, part);
    const target = this.ncrTarget('createNcr', this.writeEndpoint('createNcr'), part);
    const change: IsolocityChange = { kind: 'ncr', ncrId: null, lots: [input.lotNumber] };
    try {
      return toNcrRecord(await this.write(target, [], body, change, ncrSchema), this.hooks.zone);
    } catch (error) {
      if (isConflictOn(error, 'number')) {
        const existing = await this.findSameNcr(body);
        if (existing) return this.foundNcr(existing);
      }
      throw error;
    }
  }

  /** The NCR an earlier `createNcr` of this input made (found by its unique number), or null: 1 keyword search. */
  async findCreatedNcr(input: CreateNcrInput): Promise<NcrRecord | null> {
    const existing = await this.findSameNcr(ncrCreateBody(input, await this.resolvePart('createNcr', input)));
    return existing ? this.foundNcr(existing) : null;
  }

  /**
   * The inspection an earlier `createInspection` with this idempotency key made: its id is derived
   * from the key (`inspectionIdFor`), so 1 `GET /inspections/:id` tells. null when there is none;
   * an inspection of another part under that id cannot be ours: a conflict, not a find.
   */
  async findCreatedInspection(input: CreateInspectionInput, key: string): Promise<InspectionRecord | null> {
    const id = String(inspectionIdFor(key));
    const found = await this.client.getInspection(id);
    if (!found) return null;
    const part = await this.resolvePart('createInspection', input);
    if (part && found.entity_id != null && found.entity_id !== part.id) {
      throw vendorError('isolocity', 'CONFLICT', `createInspection: inspection ${id} (derived from the idempotency key) is of another part`, { inputPath: ['idempotencyKey'] });
    }
    this.hooks.afterWrite({ kind: 'inspection' });
    return toInspectionRecord(found, this.hooks.zone);
  }

  /**
   * The sample an earlier `addInspectionSample` made, by its number (unique within the inspection):
   * 1 `GET /inspections/:id`. null when no sample holds the number with these fields (another
   * sample under the number makes the write refused as taken).
   */
  async findAddedSample(input: AddInspectionSampleInput & { sampleNumber: number }): Promise<InspectionSampleView | null> {
    const detail = await this.client.getInspectionDetail(input.inspectionId);
    const sample = detail?.samples?.find((s) => s.sample_number === input.sampleNumber);
    if (!sample) return null;
    const view = toSampleView(sample, this.hooks.zone);
    const sameSerial = input.sampleSerial == null || view.sampleSerial === input.sampleSerial;
    const results = (list: { characteristicId: string | number; value?: string | null; passed?: boolean | null }[]) => JSON.stringify(list.map((r) => [String(r.characteristicId), r.value ?? null, r.passed ?? null]));
    const sameResults = input.results == null || results(view.results) === results(input.results);
    return sameSerial && sameResults ? view : null;
  }

  /** Whether the sample (or its inspection) is gone: what an earlier delete leaves. 1 `GET /inspections/:id`. */
  async sampleIsGone(input: DeleteInspectionSampleInput): Promise<boolean> {
    const detail = await this.client.getInspectionDetail(input.inspectionId);
    return !detail || !(detail.samples ?? []).some((s) => s.id === input.sampleId);
  }

  private foundNcr(existing: IsolocityNcr): NcrRecord {
    this.hooks.afterWrite({ kind: 'ncr', ncrId: existing.id, lots: [existing.lot_number] });
    return toNcrRecord(existing, this.hooks.zone);
  }

  /** PATCH /ncrs/:id with the fields given. A number another NCR holds → CONFLICT on `input.number`. */
  async updateNcr(input: UpdateNcrInput): Promise<NcrRecord> {
    const part = await this.resolvePart('updateNcr', input);
    const body = compact({
      ...ncrBody(input, part, input.source ? UPDATE_SOURCE[input.source] : undefined),
      esignature_password: input.esignaturePassword,
      esignature_reason: input.esignatureReason,
    });
    const target = { ...this.ncrTarget('updateNcr', this.writeEndpoint('updateNcr'), part), notFound: at('id') };
    // The lots cached with this NCR in them are forgotten by its id; a lot it moves to, by name.
    return toNcrRecord(await this.write(target, [input.id], body, { kind: 'ncr', ncrId: input.id, lots: [input.lotNumber] }, ncrSchema), this.hooks.zone);
  }

  /**
   * POST /inspections of a part. `is_create_batch_records` defaults to true, as the document
   * recommends ("Recommended set to true"): the sample records exist at once, ready for results.
   */
  async createInspection(input: CreateInspectionInput): Promise<InspectionRecord> {
    const part = await this.resolvePart('createInspection', input);
    const partField: InputPath = [part?.field ?? 'partId'];
    const body = compact({
      // With an idempotency key the id is derived from it: a second create of the key is refused
      // by ISOlocity ("taken"), and `findCreatedInspection` finds the first with one read.
      id: input.idempotencyKey ? inspectionIdFor(input.idempotencyKey) : undefined,
      entity_id: part ? Number(part.id) : undefined,
      entity_type: 'part',
      drawing_id: input.drawingId == null ? undefined : Number(input.drawingId),
      sample_size: input.sampleSize,
      is_create_batch_records: input.createBatchRecords ?? true,
      passed: input.result == null ? undefined : PASSED[input.result],
      lot_number: input.lotNumber,
    });
    const target: Target = {
      mutation: 'createInspection',
      endpoint: this.writeEndpoint('createInspection'),
      renames: { id: ['idempotencyKey'], entity_id: partField, entity_type: partField, is_create_batch_records: ['createBatchRecords'], passed: ['result'] },
      notFound: at(),
    };
    return toInspectionRecord(await this.write(target, [], body, { kind: 'inspection' }, inspectionSchema), this.hooks.zone);
  }

  /** PATCH /inspections/:id `{passed}`: its only writable field. */
  async recordInspectionResult(input: RecordInspectionResultInput): Promise<InspectionRecord> {
    const target: Target = { mutation: 'recordInspectionResult', endpoint: this.writeEndpoint('updateInspection'), renames: { passed: ['result'] }, notFound: at('id') };
    return toInspectionRecord(await this.write(target, [input.id], { passed: PASSED[input.result] }, { kind: 'inspection' }, inspectionSchema), this.hooks.zone);
  }

  /**
   * POST /inspections/:id/samples. No index holds samples (they are read live through
   * `Inspection.samples`), and a sample leaves the inspection's indexed fields as they were
   * (`sample_size` is the planned size): nothing to invalidate.
   */
  async addInspectionSample(input: AddInspectionSampleInput): Promise<InspectionSampleView> {
    const target: Target = { mutation: 'addInspectionSample', endpoint: this.writeEndpoint('addSample'), renames: {}, notFound: at('inspectionId') };
    return toSampleView(await this.write(target, [input.inspectionId], sampleBody(input), null, sampleSchema), this.hooks.zone);
  }

  /** PATCH /inspections/:id/samples/:sample_id; `results`, when given, replace the sample's results. */
  async updateInspectionSample(input: UpdateInspectionSampleInput): Promise<InspectionSampleView> {
    const target: Target = { mutation: 'updateInspectionSample', endpoint: this.writeEndpoint('updateSample'), renames: {}, notFound: inspectionOrSample };
    return toSampleView(await this.write(target, [input.inspectionId, input.sampleId], sampleBody(input), null, sampleSchema), this.hooks.zone);
  }

  /** DELETE /inspections/:id/samples/:sample_id (the answer has no `data`). A second delete is NOT_FOUND on `input.sampleId`. */
  async deleteInspectionSample(input: DeleteInspectionSampleInput): Promise<void> {
    const target: Target = { mutation: 'deleteInspectionSample', endpoint: this.writeEndpoint('deleteSample'), renames: {}, notFound: inspectionOrSample };
    await this.send(target, [input.inspectionId, input.sampleId], undefined, null);
  }

  // ---- helpers ------------------------------------------------------------------------------------

  /** A write of the paths table; pathsTableProblems refuses a table whose writes use GET. */
  private writeEndpoint(operation: 'createNcr' | 'updateNcr' | 'createInspection' | 'updateInspection' | 'addSample' | 'updateSample' | 'deleteSample'): WriteEndpoint {
    return this.client.endpoints[operation] as WriteEndpoint;
  }

  private ncrTarget(mutation: string, endpoint: WriteEndpoint, part: ResolvedPart | null): Target {
    return { mutation, endpoint, renames: { ncr_number: ['number'], part_id: [part?.field ?? 'partId'] }, notFound: at() };
  }

  /**
   * The part named by `partId` (sent as given: the vendor checks it exists, a 422 on `part_id`) or by
   * `skuCode`, any vendor's spelling, resolved through the crosswalk and the parts index. An unknown
   * code is refused here, before any write.
   */
  private async resolvePart(mutation: string, input: { partId?: string | null; skuCode?: string | null }): Promise<ResolvedPart | null> {
    if (input.partId != null) return { id: input.partId, field: 'partId' };
    if (input.skuCode == null) return null;
    const code = this.crosswalk.toVendor('ISOLOCITY', input.skuCode);
    const part = await this.hooks.partByCode(code, this.scope);
    if (part) return { id: part.vendorId, field: 'skuCode' };
    const message = `no ISOlocity part has SKU code "${input.skuCode}"`;
    throw vendorError('isolocity', 'VALIDATION_FAILED', `${mutation}: input.skuCode: ${message}`, {
      inputPath: ['skuCode'],
      fields: [{ field: formatInputPath(['skuCode']), message }],
    });
  }

  /** A write whose answer is one record in `data`. */
  private async write<S extends z.ZodType>(target: Target, ids: readonly string[], body: unknown, change: IsolocityChange | null, row: S): Promise<z.output<S>> {
    const res = await this.send(target, ids, body, change);
    // `data` was parsed by `row` just now; TypeScript cannot see through the generic envelope.
    return parseVendorBody('isolocity', target.endpoint.route, one(row), res.body).data as z.output<S>;
  }

  private async send(target: Target, ids: readonly string[], body: unknown, change: IsolocityChange | null): Promise<VendorResponse> {
    let res: VendorResponse;
    try {
      res = await this.client.send(target.endpoint, ids, body);
    } catch (error) {
      const forbidden = forbiddenOnWrite('isolocity', `${target.mutation} (${target.endpoint.route})`, error);
      if (forbidden !== error) throw forbidden;
      // Timeouts, resets and 5xx leave it unknown whether the vendor applied the write: forget the
      // indexes now, so that the next read shows the write if it happened. A refusal before sending
      // (credentials, rate limit) changed nothing.
      const code = errorCode(error);
      if (change && code !== 'VENDOR_AUTH_FAILED' && code !== 'VENDOR_RATE_LIMITED') this.hooks.afterWrite(change);
      throw error;
    }
    if (res.status >= 200 && res.status < 300) {
      if (change) this.hooks.afterWrite(change);
      return res;
    }
    throw refusal(target, res);
  }

  /** The NCR with this body's number, if every field the body sets is what it holds (the same write, made before). */
  private async findSameNcr(body: Record<string, unknown>): Promise<IsolocityNcr | null> {
    const number = body.ncr_number as string;
    const existing = (await this.client.ncrsMatching(number)).find((n) => n.ncr_number === number);
    if (!existing) return null;
    const held = existing as Record<string, unknown>;
    const same = Object.entries(body).every(([key, sent]) => {
      const value = held[key];
      if (key === 'source') return typeof value === 'string' && value.toLowerCase() === String(sent).toLowerCase();
      if (key === 'part_id') return value !== null && value !== undefined && String(value) === String(sent);
      return value === sent;
    });
    return same ? existing : null;
  }
}

/** POST /ncrs's body: `ncr_number` is the NCR's unique key at ISOlocity. */
function ncrCreateBody(input: CreateNcrInput, part: ResolvedPart | null): Record<string, unknown> {
  return compact(ncrBody(input, part, CREATE_SOURCE[input.source]));
}

/**
 * The NCR fields a create and an update share, in ISOlocity's names (seed 000 "Create a NCR record",
 * "Update an existing NCR record"); the two spell `source` differently, so the caller gives it.
 */
function ncrBody(input: Omit<UpdateNcrInput, 'id' | 'source'>, part: ResolvedPart | null, source: string | undefined): Record<string, unknown> {
  return {
    ncr_number: input.number,
    source,
    // The create body types part_id as a string, the update as an integer, the sample sends 10922.
    part_id: part ? Number(part.id) : undefined,
    lot_number: input.lotNumber,
    quantity: input.quantity,
    description: input.description,
    immediate_action: input.immediateAction,
    is_root_cause_determined: input.isRootCauseDetermined,
    has_incomplete_action_items: input.hasIncompleteActionItems,
    has_unread_notes: input.hasUnreadNotes,
  };
}

/** The inspection id a `createInspection` with this idempotency key asks for (the create keeps a client's `id`, docs/vendors/isolocity.md). */
export function inspectionIdFor(key: string): number {
  return derivedIntegerId('createInspection', key);
}

function sampleBody(input: { sampleNumber?: number | null; sampleSerial?: string | null; results?: AddInspectionSampleInput['results'] }): Record<string, unknown> {
  return compact({
    sample_number: input.sampleNumber,
    sample_serial: input.sampleSerial,
    results: input.results?.map((r) => ({ characteristic_id: Number(r.characteristicId), value: r.value ?? null, passed: r.passed ?? null })),
  });
}

/** Drops absent (undefined or null) fields: not sending a field is how "leave it as it is" reads to the vendor. */
function compact(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined && value !== null));
}

function isConflictOn(error: unknown, field: string): boolean {
  if (errorCode(error) !== 'CONFLICT') return false;
  const path = (error as GraphQLError).extensions?.inputPath;
  return Array.isArray(path) && path.length === 1 && path[0] === field;
}

/** Laravel's `unique` rule: the only validation error a retry of the same write can cause. */
const TAKEN = /has already been taken/i;

/** A vendor's refusal (non-2xx, not 401/403/429/5xx, which VendorHttp raised already) as a GraphQL error. */
export function refusal(target: Pick<Target, 'mutation' | 'endpoint' | 'renames' | 'notFound'>, res: VendorResponse): GraphQLError {
  const parsed = errorBodySchema.safeParse(res.body);
  const body = parsed.success ? parsed.data : { message: null, errors: null };
  const message = body.message ?? `${target.endpoint.route} answered ${res.status}`;
  switch (res.status) {
    case 404:
      return vendorError('isolocity', 'NOT_FOUND', `${target.mutation}: ${message}`, { inputPath: target.notFound(message) });
    case 409:
      return vendorError('isolocity', 'CONFLICT', `${target.mutation}: ${message}`);
    case 422:
      return invalid(target, message, body.errors ?? {});
    default:
      return vendorError('isolocity', 'VENDOR_BAD_RESPONSE', `${target.endpoint.route} answered ${res.status}`, { upstreamStatus: res.status });
  }
}

/**
 * A 422's field errors on the GraphQL input. Only "taken" errors → CONFLICT (the record exists:
 * retrying cannot help, choosing another value can); any other → VALIDATION_FAILED pointing at the
 * first field that is not merely taken. `fields` lists every problem, as runMutation's own do.
 */
function invalid(target: Pick<Target, 'mutation' | 'renames'>, message: string, errors: Record<string, string[]>): GraphQLError {
  const problems = Object.entries(errors).flatMap(([key, messages]) => messages.map((m) => ({ path: inputPathOf(key, target.renames), message: m })));
  if (problems.length === 0) return vendorError('isolocity', 'VALIDATION_FAILED', `${target.mutation}: ${message}`, { inputPath: [] });
  const conflict = problems.every((p) => TAKEN.test(p.message));
  const first = (conflict ? problems : problems.filter((p) => !TAKEN.test(p.message)))[0] ?? problems[0];
  const fields = problems.map((p) => ({ field: formatInputPath(p.path), message: p.message }));
  return vendorError('isolocity', conflict ? 'CONFLICT' : 'VALIDATION_FAILED', `${target.mutation}: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`, {
    inputPath: first?.path ?? [],
    fields,
  });
}

/** A Laravel error key (`part_id`, `results.0.characteristic_id`, `body`) → the path in the GraphQL input. */
export function inputPathOf(key: string, renames: Record<string, InputPath>): InputPath {
  const [head = 'body', ...rest] = key.split('.');
  if (head === 'body' && rest.length === 0) return [];
  const base = renames[head] ?? [camelCase(head)];
  return [...base, ...rest.map((segment) => (/^\d+$/.test(segment) ? Number(segment) : camelCase(segment)))];
}
