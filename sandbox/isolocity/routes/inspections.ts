import type { FastifyInstance } from 'fastify';
import { notFound, validationFailed } from '../errors.js';
import { created, deleted, FieldErrors, lookup, ok, paginate, parse, pathId, route, UPDATE, type Result } from '../http.js';
import type { Inspection, InspectionSample } from '../records.js';
import { inspectionCreate, inspectionUpdate, pageQuery, sampleWrite } from '../schemas.js';
import { nowIso, type IsolocityStore } from '../store.js';

function findSample(inspection: Inspection, raw: number | null, rawText: string): Result<InspectionSample> {
  const sample = raw === null ? undefined : inspection.samples.find((s) => s.id === raw);
  return sample ? { ok: true, value: sample } : { ok: false, reply: notFound('Sample', rawText) };
}

/**
 * Inspections and their samples. The list takes no filter (the document shows none); a client
 * that wants the inspections of one part pages the list and indexes it by `entity_id`.
 */
export function inspectionRoutes(app: FastifyInstance, store: IsolocityStore): void {
  route(app, 'GET', '/inspections', (request) => {
    const q = parse(pageQuery, request.query);
    return q.ok ? paginate(store.inspections.all(), q.value) : q.reply;
  });

  route(app, 'POST', '/inspections', (request) => {
    const body = parse(inspectionCreate, request.body);
    if (!body.ok) return body.reply;
    const b = body.value;
    const errors = new FieldErrors();
    if (b.id !== undefined && store.inspections.has(b.id)) errors.taken('id');
    if (!store.parts.has(b.entity_id)) errors.invalid('entity_id');
    if (b.drawing_id !== null && !store.specifications.has(b.drawing_id)) errors.invalid('drawing_id');
    if (!errors.empty) return validationFailed(errors.errors);
    const at = nowIso();
    const build = (id: number): Inspection => ({
      id,
      entity_id: b.entity_id,
      entity_type: b.entity_type,
      drawing_id: b.drawing_id,
      sample_size: b.sample_size,
      is_create_batch_records: b.is_create_batch_records,
      passed: b.passed,
      lot_number: b.lot_number,
      // "is_create_batch_records": the sandbox reads it as "create the sample records now".
      samples: b.is_create_batch_records
        ? Array.from({ length: b.sample_size }, (_, i) => ({ id: store.nextSampleId(), inspection_id: id, sample_number: i + 1, sample_serial: null, results: [], created_at: at, updated_at: at }))
        : [],
      created_at: at,
      updated_at: at,
    });
    if (b.id === undefined) return created(store.inspections.insert(build));
    const inspection = build(b.id);
    store.inspections.add(inspection);
    return created(inspection);
  });

  route(app, 'GET', '/inspections/:id', (request) => {
    const inspection = lookup(store.inspections, request, 'Inspection');
    return inspection.ok ? ok(inspection.value) : inspection.reply;
  });

  route(app, UPDATE, '/inspections/:id', (request) => {
    const inspection = lookup(store.inspections, request, 'Inspection');
    if (!inspection.ok) return inspection.reply;
    const body = parse(inspectionUpdate, request.body);
    if (!body.ok) return body.reply;
    if (body.value.passed !== undefined) {
      inspection.value.passed = body.value.passed;
      inspection.value.updated_at = nowIso();
    }
    return ok(inspection.value);
  });

  route(app, 'POST', '/inspections/:id/samples', (request) => {
    const inspection = lookup(store.inspections, request, 'Inspection');
    if (!inspection.ok) return inspection.reply;
    const body = parse(sampleWrite, request.body ?? {});
    if (!body.ok) return body.reply;
    const samples = inspection.value.samples;
    const number = body.value.sample_number ?? samples.reduce((max, s) => Math.max(max, s.sample_number), 0) + 1;
    if (samples.some((s) => s.sample_number === number)) return validationFailed({ sample_number: ['The sample number has already been taken.'] });
    const at = nowIso();
    const sample: InspectionSample = {
      id: store.nextSampleId(),
      inspection_id: inspection.value.id,
      sample_number: number,
      sample_serial: body.value.sample_serial ?? null,
      results: body.value.results ?? [],
      created_at: at,
      updated_at: at,
    };
    samples.push(sample);
    inspection.value.updated_at = at;
    return created(sample);
  });

  route(app, UPDATE, '/inspections/:id/samples/:sample_id', (request) => {
    const inspection = lookup(store.inspections, request, 'Inspection');
    if (!inspection.ok) return inspection.reply;
    const sample = findSample(inspection.value, pathId(request, 'sample_id'), (request.params as { sample_id: string }).sample_id);
    if (!sample.ok) return sample.reply;
    const body = parse(sampleWrite, request.body);
    if (!body.ok) return body.reply;
    const { sample_number } = body.value;
    if (sample_number !== undefined && inspection.value.samples.some((s) => s.sample_number === sample_number && s.id !== sample.value.id)) {
      return validationFailed({ sample_number: ['The sample number has already been taken.'] });
    }
    Object.assign(sample.value, body.value, { updated_at: nowIso() });
    return ok(sample.value);
  });

  route(app, 'DELETE', '/inspections/:id/samples/:sample_id', (request) => {
    const inspection = lookup(store.inspections, request, 'Inspection');
    if (!inspection.ok) return inspection.reply;
    const sample = findSample(inspection.value, pathId(request, 'sample_id'), (request.params as { sample_id: string }).sample_id);
    if (!sample.ok) return sample.reply;
    inspection.value.samples.splice(inspection.value.samples.indexOf(sample.value), 1);
    inspection.value.updated_at = nowIso();
    return deleted();
  });
}
