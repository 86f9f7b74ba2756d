import { z } from 'zod';

/**
 * zod schemas of HAPIHub's inventory transactions (document 003, "Transaction - Post" and
 * "Transaction - Patch" parameter tables) and of the Feathers query parameters the list accepts.
 * Writes are strict: a field the document does not list is refused, so a client's typo surfaces
 * here instead of being stored silently.
 */

/**
 * The document's enum reads "adjustment,purchas,s,ales,transfer,receiving,packaging,return", a
 * rendering error: the field descriptions say "[types: purchase]" and "[types: sales]".
 */
export const TRANSACTION_TYPES = ['adjustment', 'purchase', 'sales', 'transfer', 'receiving', 'packaging', 'return'] as const;
export type TransactionType = (typeof TRANSACTION_TYPES)[number];

/** Times are epoch milliseconds (document 003: `createdAt` etc. are `number`). */
const epochMs = z.number().int('must be whole epoch milliseconds').nonnegative();
const text = z.string();
const metadata = z.record(z.string(), z.unknown());

export const itemSchema = z.strictObject({
  sku: z.string().min(1).optional(),
  variantName: text.optional(),
  variantIsMedicine: z.boolean().optional(),
  variantIsMedicineDangerous: z.boolean().optional(),
  quantity: z.number().nonnegative().optional(),
  note: text.optional(),
  metadata: metadata.optional(),
  adjustment: z.number().optional(),
  control: z.string().min(1).optional(),
  expiresAt: epochMs.optional(),
  price: z.number().nonnegative().optional(),
  tax: z.number().nonnegative().optional(),
  taxCode: text.optional(),
  taxComplication: z.enum(['inclusive', 'exclusive']).optional(),
});

export type TransactionItem = z.infer<typeof itemSchema>;

/** Every writable field, all optional: what PATCH accepts and merges. */
const writableFields = {
  createdAt: epochMs.optional(),
  warehouse: z.string().min(1).optional(),
  type: z.enum(TRANSACTION_TYPES).optional(),
  items: z.array(itemSchema).min(1).optional(),
  metadata: metadata.optional(),
  reason: text.optional(),
  invoice: text.optional(),
  expiresAt: epochMs.optional(),
  transaction: z.string().min(1).optional(),
  supplier: text.optional(),
  supplierType: z.enum(['organization', 'inventory-supplier']).optional(),
  acknowledgedAt: epochMs.optional(),
  acknowledgedBy: text.optional(),
  rejectedAt: epochMs.optional(),
  rejectedBy: text.optional(),
  customer: text.optional(),
  customerType: z.enum(['patient', 'org-member', 'personal-details']).optional(),
  customerHasPWDId: z.boolean().optional(),
  customerHasOSCASeniorCitizenId: z.boolean().optional(),
  fulfilledItems: z.array(itemSchema).optional(),
  fulfilledAt: epochMs.optional(),
  fulfilledBy: text.optional(),
  source: z.string().min(1).optional(),
  destination: z.string().min(1).optional(),
  billTo: text.optional(),
  shippedAt: epochMs.optional(),
  shippedBy: text.optional(),
  shipTo: text.optional(),
  receivedAt: epochMs.optional(),
  receivedBy: text.optional(),
  approvedItems: z.array(itemSchema).optional(),
  approvedAt: epochMs.optional(),
  approvedBy: text.optional(),
};

export const patchSchema = z.strictObject(writableFields);
export type TransactionPatch = z.infer<typeof patchSchema>;

/** A stored transaction: the writable fields plus what HAPIHub sets itself. */
export type InventoryTransaction = Omit<TransactionPatch, 'createdAt' | 'warehouse' | 'type' | 'items'> & {
  id: string;
  createdAt: number;
  createdBy: string;
  warehouse: string;
  type: TransactionType;
  items: TransactionItem[];
};

/** What the write rules need to know about the records a transaction names. */
export interface ReferenceLookup {
  hasWarehouse(id: string): boolean;
  hasSku(sku: string): boolean;
  hasTransaction(id: string): boolean;
}

/**
 * The body of a create, and the whole record after a PATCH merge: `warehouse` and `items` are
 * required (the document marks every other field optional); `type` defaults to `adjustment`, as the
 * document's own example (a body without `type`) is answered with `"type": "adjustment"`.
 * Rules across fields check that every id named exists, and that a transfer says where from and to.
 */
export function createTransactionSchema(lookup: ReferenceLookup) {
  return z
    .strictObject({
      ...writableFields,
      warehouse: z.string().min(1),
      type: z.enum(TRANSACTION_TYPES).default('adjustment'),
      items: z.array(itemSchema).min(1),
    })
    .superRefine((tx, ctx) => {
      const unknown = (path: PropertyKey[], message: string): void => {
        ctx.addIssue({ code: 'custom', path, message });
      };
      if (!lookup.hasWarehouse(tx.warehouse)) unknown(['warehouse'], `no warehouse with id '${tx.warehouse}'`);
      for (const field of ['source', 'destination'] as const) {
        const id = tx[field];
        if (id !== undefined && !lookup.hasWarehouse(id)) unknown([field], `no warehouse with id '${id}'`);
      }
      if (tx.type === 'transfer') {
        if (tx.source === undefined) unknown(['source'], 'a transfer needs a source warehouse');
        if (tx.destination === undefined) unknown(['destination'], 'a transfer needs a destination warehouse');
        if (tx.source !== undefined && tx.source === tx.destination) unknown(['destination'], 'must differ from source');
      }
      if (tx.transaction !== undefined && !lookup.hasTransaction(tx.transaction)) unknown(['transaction'], `no inventory-transaction with id '${tx.transaction}'`);
      for (const list of ['items', 'fulfilledItems', 'approvedItems'] as const) {
        tx[list]?.forEach((item, i) => {
          if (item.sku !== undefined && !lookup.hasSku(item.sku)) unknown([list, i, 'sku'], `no item with sku '${item.sku}'`);
        });
      }
    });
}

export type TransactionCreate = z.output<ReturnType<typeof createTransactionSchema>>;

// ---- Feathers query parameters (query strings arrive as text) ----

export const limitSchema = z.string().regex(/^\d+$/, 'must be a non-negative integer').transform(Number);
export const skipSchema = limitSchema;
export const sortDirectionSchema = z.enum(['1', '-1'], 'must be 1 or -1').transform(Number);
export const selectSchema = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v]));

/** How a filter value in the query string becomes the field's JSON type. */
export const scalarSchemas = {
  string: z.string(),
  number: z
    .string()
    .regex(/^-?\d+(\.\d+)?$/, 'must be a number')
    .transform(Number),
  boolean: z.enum(['true', 'false'], 'must be true or false').transform((v) => v === 'true'),
} as const;

export type ScalarType = keyof typeof scalarSchemas;
type ItemPath = `items.${keyof TransactionItem & string}`;
type ScalarField = { [K in keyof InventoryTransaction]-?: NonNullable<InventoryTransaction[K]> extends string | number | boolean ? K : never }[keyof InventoryTransaction];

/**
 * The fields a list can filter on, and their types: every scalar field of a transaction, and the
 * scalar fields of its items by dotted path (`items.sku`), matched as MongoDB does (any item).
 */
export const FILTER_FIELDS: Readonly<Record<ScalarField | Exclude<ItemPath, 'items.metadata'>, ScalarType>> = {
  id: 'string',
  createdAt: 'number',
  createdBy: 'string',
  warehouse: 'string',
  type: 'string',
  reason: 'string',
  invoice: 'string',
  expiresAt: 'number',
  transaction: 'string',
  supplier: 'string',
  supplierType: 'string',
  acknowledgedAt: 'number',
  acknowledgedBy: 'string',
  rejectedAt: 'number',
  rejectedBy: 'string',
  customer: 'string',
  customerType: 'string',
  customerHasPWDId: 'boolean',
  customerHasOSCASeniorCitizenId: 'boolean',
  fulfilledAt: 'number',
  fulfilledBy: 'string',
  source: 'string',
  destination: 'string',
  billTo: 'string',
  shippedAt: 'number',
  shippedBy: 'string',
  shipTo: 'string',
  receivedAt: 'number',
  receivedBy: 'string',
  approvedAt: 'number',
  approvedBy: 'string',
  'items.sku': 'string',
  'items.variantName': 'string',
  'items.variantIsMedicine': 'boolean',
  'items.variantIsMedicineDangerous': 'boolean',
  'items.quantity': 'number',
  'items.note': 'string',
  'items.adjustment': 'number',
  'items.control': 'string',
  'items.expiresAt': 'number',
  'items.price': 'number',
  'items.tax': 'number',
  'items.taxCode': 'string',
  'items.taxComplication': 'string',
};

/** Every field a record can have, for `$select` and `$sort` (top level only). */
export const TOP_LEVEL_FIELDS: ReadonlySet<string> = new Set(['id', 'createdBy', ...Object.keys(writableFields)]);
