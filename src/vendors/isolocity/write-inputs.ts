import { z } from 'zod';
import type { NodeType } from '../../model/global-id.js';
import { expectId } from '../../server/ids.js';
import { quoteInput } from '../../errors.js';
import { idempotencyKey as keyRule, INTEGER_ID, line, prose, requiredLine, secretText } from '../../mutations/input-rules.js';

/**
 * zod schemas of the GraphQL inputs of ISOlocity's mutations (schema/mutations-isolocity.graphql):
 * what opsgraph can refuse itself, before any vendor call. GraphQL has already checked the types;
 * these check what the document states beyond types (NCR numbers and sources are required, an NCR
 * quantity is an integer ≥ 0, an inspection has at least one sample, ids are ISOlocity's integers)
 * and decode global ids. The document states no text lengths: every text is at most 1,000
 * characters without control characters (codes and lot numbers 100, as they are quoted back in
 * messages), and at most 1,000 sample results (src/mutations/input-rules.ts).
 *
 * A null optional field means the same as an absent one (as in every opsgraph mutation): it is not
 * sent, so on an update the vendor keeps what it has.
 */

const idempotencyKey = keyRule;
const text = requiredLine();
const code = requiredLine(100);

/** ISOlocity ids are integers ("Integer ids", docs/vendors/isolocity.md). */
const vendorId = z.string().trim().regex(INTEGER_ID, 'must be an ISOlocity id (a positive integer)');

/** A global id of an ISOlocity object, decoded to the vendor's id (a Part id of another vendor cannot exist). */
const isolocityId = (type: NodeType) =>
  z.string().transform((raw, ctx) => {
    try {
      const { vendor, key } = expectId(raw, type, 'id');
      if (vendor !== 'ISOLOCITY' || !INTEGER_ID.test(key)) throw new Error(`id: ${quoteInput(raw)} is not the id of an ISOlocity ${type}`);
      return key;
    } catch (error) {
      // expectId names the argument first ("id: …"); zod's path already says which field.
      ctx.addIssue({ code: 'custom', message: (error instanceof Error ? error.message : String(error)).replace(/^id: /, '') });
      return z.NEVER;
    }
  });

export const NCR_SOURCES = ['INTERNAL', 'CUSTOMER', 'SUPPLIER'] as const;
export type NcrSourceInput = (typeof NCR_SOURCES)[number];

/** The part an NCR or inspection is about: by its id, or by a SKU code opsgraph resolves through the parts index. */
const partRef = { partId: isolocityId('Part').nullish(), skuCode: code.nullish() };

function atMostOnePart(value: { partId?: string | null; skuCode?: string | null }, ctx: z.RefinementCtx): void {
  if (value.partId != null && value.skuCode != null) ctx.addIssue({ code: 'custom', path: ['skuCode'], message: 'give partId or skuCode, not both' });
}

function exactlyOnePart(value: { partId?: string | null; skuCode?: string | null }, ctx: z.RefinementCtx): void {
  atMostOnePart(value, ctx);
  if (value.partId == null && value.skuCode == null) ctx.addIssue({ code: 'custom', path: ['partId'], message: 'give the part: partId or skuCode' });
}

const ncrFields = {
  number: code,
  source: z.enum(NCR_SOURCES),
  ...partRef,
  lotNumber: code.nullish(),
  quantity: z.number().int().min(0, 'must not be negative').nullish(),
  description: prose().nullish(),
  immediateAction: prose().nullish(),
  isRootCauseDetermined: z.boolean().nullish(),
  hasIncompleteActionItems: z.boolean().nullish(),
  hasUnreadNotes: z.boolean().nullish(),
};

/** "Create a NCR record": `ncr_number` and `source` are required. The part is optional (a supplier NCR may name none). */
export const createNcrInput = z.object({ idempotencyKey, ...ncrFields }).superRefine(atMostOnePart);
export type CreateNcrInput = z.output<typeof createNcrInput>;

const NCR_CHANGES = ['number', 'source', 'partId', 'skuCode', 'lotNumber', 'quantity', 'description', 'immediateAction', 'isRootCauseDetermined', 'hasIncompleteActionItems', 'hasUnreadNotes'] as const;

/** "Update an existing NCR record": every field optional; the e-signature only when the vendor's setting requires it. */
export const updateNcrInput = z
  .object({
    idempotencyKey,
    id: isolocityId('Ncr'),
    number: ncrFields.number.nullish(),
    source: ncrFields.source.nullish(),
    ...partRef,
    lotNumber: ncrFields.lotNumber,
    quantity: ncrFields.quantity,
    description: ncrFields.description,
    immediateAction: ncrFields.immediateAction,
    isRootCauseDetermined: ncrFields.isRootCauseDetermined,
    hasIncompleteActionItems: ncrFields.hasIncompleteActionItems,
    hasUnreadNotes: ncrFields.hasUnreadNotes,
    esignaturePassword: secretText.nullish(),
    esignatureReason: line().nullish(),
  })
  .superRefine((value, ctx) => {
    atMostOnePart(value, ctx);
    // An update that changes nothing is a client bug more often than a wish to touch the NCR.
    if (NCR_CHANGES.every((field) => value[field] == null)) ctx.addIssue({ code: 'custom', path: [], message: 'give at least one field to change' });
  });
export type UpdateNcrInput = z.output<typeof updateNcrInput>;

export const INSPECTION_RESULTS = ['PASSED', 'FAILED', 'NOT_STARTED'] as const;
export type InspectionResultInput = (typeof INSPECTION_RESULTS)[number];

/** "Create a new inspection": the part (`entity_id`), the template, the planned sample count ("Minimum 1"). */
export const createInspectionInput = z
  .object({
    idempotencyKey,
    ...partRef,
    drawingId: vendorId.nullish(),
    sampleSize: z.number().int().min(1, 'must be at least 1').max(1_000, 'must be at most 1000').nullish(),
    createBatchRecords: z.boolean().nullish(),
    lotNumber: code.nullish(),
    result: z.enum(INSPECTION_RESULTS).nullish(),
  })
  .superRefine(exactlyOnePart);
export type CreateInspectionInput = z.output<typeof createInspectionInput>;

/** "Update an existing inspection": its only field is `passed`. */
export const recordInspectionResultInput = z.object({
  idempotencyKey,
  id: isolocityId('Inspection'),
  result: z.enum(INSPECTION_RESULTS),
});
export type RecordInspectionResultInput = z.output<typeof recordInspectionResultInput>;

const sampleResult = z.object({
  characteristicId: vendorId,
  value: line().nullish(),
  passed: z.boolean().nullish(),
});

const sampleFields = {
  sampleNumber: z.number().int().min(1, 'must be at least 1').nullish(),
  sampleSerial: line(100).nullish(),
  results: z.array(sampleResult).max(1_000, 'must have at most 1000 results').nullish(),
};

export const addInspectionSampleInput = z.object({ idempotencyKey, inspectionId: isolocityId('Inspection'), ...sampleFields });
export type AddInspectionSampleInput = z.output<typeof addInspectionSampleInput>;

export const updateInspectionSampleInput = z
  .object({ idempotencyKey, inspectionId: isolocityId('Inspection'), sampleId: vendorId, ...sampleFields })
  .superRefine((value, ctx) => {
    if (value.sampleNumber == null && value.sampleSerial == null && value.results == null) ctx.addIssue({ code: 'custom', path: [], message: 'give at least one field to change' });
  });
export type UpdateInspectionSampleInput = z.output<typeof updateInspectionSampleInput>;

export const deleteInspectionSampleInput = z.object({ idempotencyKey, inspectionId: isolocityId('Inspection'), sampleId: vendorId });
export type DeleteInspectionSampleInput = z.output<typeof deleteInspectionSampleInput>;
