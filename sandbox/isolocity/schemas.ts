import { z } from 'zod';
import { DENSITY_MASS_UNITS, DENSITY_VOLUME_UNITS, UNIT_TYPES, UNITS_OF_MEASURE } from './records.js';

/**
 * zod schemas of every ISOlocity query and write body. Unknown fields are dropped (Laravel ignores
 * what a request validator does not name); known fields are checked strictly. Custom messages are
 * predicates ("must be an integer"): http.ts puts the field name in front.
 */

export const DEFAULT_PER_PAGE = 50;
export const MAX_PER_PAGE = 200;
/** Most records one bulk part request may carry. */
export const MAX_BULK = 500;

// ---- building blocks ------------------------------------------------------------------------

const positiveIntString = z.string().regex(/^[1-9]\d{0,8}$/, 'must be a positive integer').transform(Number);

/** An id in a body: the document types some as `integer`, some as `string <integer>`; both are accepted. */
const id = z.union([z.number().int().positive().max(Number.MAX_SAFE_INTEGER), z.string().regex(/^[1-9]\d{0,14}$/)], { error: 'must be an integer' }).transform(Number);

const text = z.string().max(255);
const longText = z.string().max(65_535);

/** A lot (`serial_number`): typed `string`, but the document's samples send numbers (`123456789999`). */
const lot = z.union([z.string().trim().min(1).max(255), z.number().int().nonnegative()], { error: 'must be a string' }).transform(String);

/** The order item samples send `2` for booleans: 0 is false, any other integer true. */
const looseBoolean = z.union([z.boolean(), z.number().int().nonnegative()], { error: 'must be true or false' }).transform((v) => v === true || (typeof v === 'number' && v !== 0));

/** `is_active` is a number, 1 or 0 ("Is the location active (1) or not (0)"). */
const activeFlag = z.union([z.literal(0), z.literal(1)], { error: 'must be 0 or 1' });

const DATE = /^(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;
/** "Order date yyyy-mm-dd", though the sample sends a full ISO timestamp: both accepted, the date kept. */
const date = z
  .string()
  .refine((s) => {
    const day = DATE.exec(s)?.[1];
    return day !== undefined && !Number.isNaN(Date.parse(`${day}T00:00:00Z`)) && new Date(`${day}T00:00:00Z`).toISOString().startsWith(day);
  }, 'must be a date (yyyy-mm-dd)')
  .transform((s) => s.slice(0, 10));

// ---- paging and list filters ----------------------------------------------------------------

export const pageQuery = z.object({
  page: positiveIntString.default(1),
  // Above the maximum is not an error: the page is cut to MAX_PER_PAGE and `meta.per_page` says so.
  per_page: positiveIntString.default(DEFAULT_PER_PAGE).transform((n) => Math.min(n, MAX_PER_PAGE)),
});

export const ncrListQuery = pageQuery.extend({
  keyword: text.optional(),
  status: text.optional(),
  source: text.optional(),
});

export const inventoryListQuery = pageQuery.extend({
  part_id: positiveIntString.optional(),
  keyword: text.optional(),
});

export const specificationListQuery = pageQuery.extend({
  identification: text.optional(),
  keyword: text.optional(),
});

// ---- parts ------------------------------------------------------------------------------------

const partFields = z.object({
  name: z.string().trim().min(1).max(255),
  identification: z.string().trim().min(1).max(255),
  company_id: id.nullable(),
  is_activity: z.boolean(),
  is_finished_product: z.boolean(),
  batch_ids: z.array(z.string().trim().min(1).max(255)).max(1000),
  supplier_id: id.nullable(),
  parent_part_id: id.nullable(),
  unit_type: z.enum(UNIT_TYPES).nullable(),
  unit_of_measure: z.enum(UNITS_OF_MEASURE).nullable(),
  density: z.number().positive().nullable(),
  density_mass_unit: z.enum(DENSITY_MASS_UNITS).nullable(),
  density_volume_unit: z.enum(DENSITY_VOLUME_UNITS).nullable(),
});

/** "Create multiple new parts" marks name and identification required; a single create follows it. */
export const partCreate = partFields.partial().required({ name: true, identification: true });
/** "Update an existing part" names only these two fields. */
export const partUpdate = partFields.pick({ name: true, identification: true }).partial();
export const partBulkCreate = z.array(partCreate).min(1).max(MAX_BULK);
export const partBulkUpdate = z.array(partCreate.extend({ id })).min(1).max(MAX_BULK);

export type PartCreate = z.output<typeof partCreate>;

// ---- inspections and samples ------------------------------------------------------------------

export const inspectionCreate = z.object({
  id: id.optional(),
  entity_id: id,
  // "Entity type part or equipment": the sandbox holds no equipment, so only parts can be inspected.
  entity_type: z.enum(['part']).default('part'),
  drawing_id: id.nullable().default(null),
  sample_size: z.number().int().min(1).max(1000).default(1),
  is_create_batch_records: z.boolean().default(false),
  passed: z.boolean().nullable().default(null),
  lot_number: z.string().trim().min(1).max(255).nullable().default(null),
});

export const inspectionUpdate = z.object({
  passed: z.boolean().nullable().optional(),
});

const sampleResult = z.object({
  characteristic_id: id,
  value: z.union([z.string().max(65_535), z.number(), z.null()], { error: 'must be a string or a number' }).default(null),
  passed: z.boolean().nullable().default(null),
});

/** Adding a sample takes no body in the document; the update fields are accepted when sent. */
export const sampleWrite = z.object({
  sample_serial: text.nullable().optional(),
  sample_number: z.number().int().min(1).max(100_000).optional(),
  results: z.array(sampleResult).max(1000).optional(),
});

// ---- NCRs ----------------------------------------------------------------------------------------

/** Create says "internal", update says "Internal": either case in, capitalised out. */
const ncrSource = z
  .string()
  .transform((s) => s.toLowerCase())
  .pipe(z.enum(['internal', 'customer', 'supplier']))
  .transform((s) => (s === 'internal' ? 'Internal' : s === 'customer' ? 'Customer' : 'Supplier'));

const ncrFields = z.object({
  ncr_number: z.string().trim().min(1).max(255),
  source: ncrSource,
  lot_number: text.nullable(),
  quantity: z.number().int().min(0).max(1_000_000_000).nullable(),
  description: longText.nullable(),
  immediate_action: longText.nullable(),
  is_root_cause_determined: z.boolean(),
  has_incomplete_action_items: z.boolean(),
  has_unread_notes: z.boolean(),
  part_id: id.nullable(),
});

export const ncrCreate = ncrFields.partial().required({ ncr_number: true, source: true });
export const ncrUpdate = ncrFields.partial().extend({
  // "Only if required setting is turned on": the sandbox's setting is off, so these are accepted and unused.
  esignature_password: z.union([z.string(), z.number()], { error: 'must be a string' }).optional(),
  esignature_reason: text.optional(),
});

// ---- inventory --------------------------------------------------------------------------------

/** "Update the linked locations for a specific inventory" shows no schema: the sandbox's choice. */
export const inventoryLocationsUpdate = z.object({
  locations: z
    .array(z.object({ location_id: id, quantity: z.number().min(0).max(1_000_000_000) }))
    .max(100)
    .superRefine((rows, ctx) => {
      const seen = new Set<number>();
      rows.forEach((row, i) => {
        if (seen.has(row.location_id)) ctx.addIssue({ code: 'custom', path: [i, 'location_id'], message: 'has a duplicate value' });
        seen.add(row.location_id);
      });
    }),
});

// ---- orders and order items -------------------------------------------------------------------

const orderFields = z.object({
  po_number: text.nullable(),
  contact_id: id.nullable(),
  order_date: date.nullable(),
  serial_number: lot.nullable(),
  order_number: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  is_closed: z.boolean(),
});

export const orderCreate = orderFields.partial();
export const orderUpdate = orderFields.partial();

const orderItemFields = z.object({
  order_id: id,
  part_id: id,
  quantity: z.number().positive().max(1_000_000_000),
  serial_number: lot,
  drawing_id: id.nullable(),
  is_low_inventory: looseBoolean,
  is_low_materials: looseBoolean,
  order: z.number().int().min(1).max(100_000),
});

/** "Required" per the document: part_id, quantity, serial_number (order_id comes from the path). */
export const orderItemCreate = orderItemFields.partial().required({ part_id: true, quantity: true, serial_number: true });
export const orderItemUpdate = orderItemFields.partial();

// ---- customers, suppliers, locations ----------------------------------------------------------

const contactFields = {
  name: z.string().trim().min(1).max(255),
  primary_name: text.nullable(),
  primary_email: text.nullable(),
  primary_phone: text.nullable(),
  primary_position: text.nullable(),
  secondary_name: text.nullable(),
  secondary_email: text.nullable(),
  secondary_phone: text.nullable(),
  secondary_position: text.nullable(),
};

const customerFields = z.object({
  ...contactFields,
  street: text.nullable(),
  city: text.nullable(),
  province: text.nullable(),
  country: text.nullable(),
  postal_code: text.nullable(),
  custom_field_1: text.nullable(),
  custom_field_2: text.nullable(),
});
export const customerCreate = customerFields.partial().required({ name: true });
export const customerUpdate = customerFields.partial();

const supplierFields = z.object({ ...contactFields, notes: longText.nullable() });
export const supplierCreate = supplierFields.partial().required({ name: true });
export const supplierUpdate = supplierFields.partial();

const locationFields = z.object({ name: z.string().trim().min(1).max(255), is_active: activeFlag });
export const locationCreate = locationFields.partial().required({ name: true });
export const locationUpdate = locationFields.partial();
