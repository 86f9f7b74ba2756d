import { z } from 'zod';

/**
 * zod schemas of ISOlocity's payloads as opsgraph reads them (document 000_dc84e41bc020d3b8.txt;
 * the collapsed bodies are pinned down in docs/vendors/isolocity.md). Lenient where the vendor may
 * add fields or leave optional ones null (`looseObject`, `nullish`), strict on what opsgraph joins
 * on: ids, `identification` and quantities.
 */

/** Integer ids; the document types a few as `string <integer>`, so numeric strings pass too. */
const id = z.union([z.number().int(), z.string().regex(/^\d+$/)]).transform(String);
const quantity = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/)]);
const text = z.string().nullish();

/**
 * List `meta`. The fuller public rendering (https://docs.isolocity.com, the list response
 * samples, e.g. companies and suppliers) shows `{current_page, from, to, total, per_page}`, with
 * no `last_page`; the seed document collapses it to `{}`. So every field is optional: the client
 * pages by `total` and `per_page`, by `last_page` if a build sends one, else until a short or
 * empty page.
 */
export const pageMetaSchema = z.looseObject({
  current_page: z.number().int().positive().nullish(),
  per_page: z.number().int().positive().nullish(),
  total: z.number().int().nonnegative().nullish(),
  last_page: z.number().int().nonnegative().nullish(),
});
export type PageMeta = z.output<typeof pageMetaSchema>;

/** `{status, message, data}`: one record. */
export const one = <S extends z.ZodType>(data: S) => z.looseObject({ status: z.string().nullish(), data });
/** `{status, message, meta, data: [...]}`: one page. */
export const page = <S extends z.ZodType>(row: S) => z.looseObject({ status: z.string().nullish(), meta: pageMetaSchema.nullish(), data: z.array(row) });

export const partSchema = z.looseObject({
  id,
  identification: z.string(),
  name: text,
  unit_of_measure: text,
  is_finished_product: z.boolean().nullish(),
});
export type IsolocityPart = z.output<typeof partSchema>;

export const inspectionSchema = z.looseObject({
  id,
  entity_id: id.nullish(),
  entity_type: text,
  passed: z.boolean().nullish(),
  sample_size: z.number().int().nullish(),
  lot_number: text,
  // "Create a new inspection": `drawing_id`, "Id of the template used by inspection" (a specification).
  drawing_id: id.nullish(),
  created_at: text,
});
export type IsolocityInspection = z.output<typeof inspectionSchema>;

/** One sample of an inspection ("Inspections Samples" in the document; fields in the docs file). */
export const sampleSchema = z.looseObject({
  id,
  inspection_id: id.nullish(),
  sample_number: z.number().int(),
  sample_serial: text,
  results: z
    .array(
      z.looseObject({
        characteristic_id: id,
        // "value" is a string or a number; opsgraph shows it as text.
        value: z.union([z.string(), z.number()]).nullish(),
        passed: z.boolean().nullish(),
      }),
    )
    .nullish(),
  created_at: text,
  updated_at: text,
});
export type IsolocitySample = z.output<typeof sampleSchema>;

/** `GET /inspections/:id` read for its samples. Kept apart from inspectionSchema so that a malformed sample never fails the inspections index. */
export const inspectionDetailSchema = inspectionSchema.extend({ samples: z.array(sampleSchema).nullish() });
export type IsolocityInspectionDetail = z.output<typeof inspectionDetailSchema>;

export const ncrSchema = z.looseObject({
  id,
  ncr_number: text,
  source: text,
  status: text,
  lot_number: text,
  quantity: z.number().nullish(),
  description: text,
  part_id: id.nullish(),
  // "Create a NCR record": what was done at once, and the investigation's flags.
  immediate_action: text,
  is_root_cause_determined: z.boolean().nullish(),
  has_incomplete_action_items: z.boolean().nullish(),
  created_at: text,
});
export type IsolocityNcr = z.output<typeof ncrSchema>;

export const inventorySchema = z.looseObject({
  id,
  part_id: id,
  lot_number: text,
  unit_of_measure: text,
  locations: z.array(z.looseObject({ location_id: id, name: text, quantity })).nullish(),
  updated_at: text,
});
export type IsolocityInventory = z.output<typeof inventorySchema>;

const orderItemSchema = z.looseObject({
  id,
  part_id: id,
  quantity,
  serial_number: z.union([z.string(), z.number()]).nullish(),
  order: z.number().nullish(),
});

export const orderSchema = z.looseObject({
  id,
  order_number: z.union([z.number(), z.string()]).nullish(),
  contact_id: id.nullish(),
  order_date: text,
  is_closed: z.boolean().nullish(),
  // The document collapses the order body; the sandbox embeds the items (see the docs file).
  items: z.array(orderItemSchema).nullish(),
});
export type IsolocityOrder = z.output<typeof orderSchema>;

export const customerSchema = z.looseObject({ id, name: text });
export type IsolocityCustomer = z.output<typeof customerSchema>;

/**
 * An error answer: the success envelope with `status: "error"`, plus Laravel's `errors` map on a
 * 422 (`{"part_id": ["The selected part id is invalid."]}`, keys like `results.0.characteristic_id`).
 * See docs/vendors/isolocity.md, "Errors".
 */
export const errorBodySchema = z.looseObject({
  message: z.string().nullish(),
  errors: z.record(z.string(), z.array(z.string())).nullish(),
});
export type IsolocityErrorBody = z.output<typeof errorBodySchema>;
