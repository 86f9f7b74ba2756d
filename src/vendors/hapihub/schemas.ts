import { z } from 'zod';

/**
 * zod schemas of HAPIHub's payloads as opsgraph reads them (document 003_3699ef8af9685fad.txt,
 * decisions in docs/vendors/hapihub.md). Lenient where the vendor may add fields or leave optional
 * ones null (`looseObject`, `nullish`); strict on what the stock fold depends on: the transaction
 * id, `createdAt` (incremental reads), and quantities as JSON numbers.
 */

const text = z.string().nullish();

export const itemSchema = z.looseObject({
  sku: text,
  control: text,
  variantName: text,
  quantity: z.number().nullish(),
  adjustment: z.number().nullish(),
  price: z.number().nullish(),
  note: text,
  /** Epoch ms: when the lot (`control`) expires (document 003, `items.expiresAt`, "[for: adjustment; tracked items]"). */
  expiresAt: z.number().nullish(),
});

export const transactionSchema = z.looseObject({
  id: z.string().min(1),
  /** Epoch milliseconds. */
  createdAt: z.number(),
  type: text,
  warehouse: text,
  source: text,
  destination: text,
  items: z.array(itemSchema).nullish(),
  /** Read back after writes; the fold's finds leave them out (`$select`). */
  transaction: text,
  reason: text,
  invoice: text,
  /** Document 003: an object HAPIHub keeps as sent; opsgraph's write marker lives here (`opsgraphWrite`). */
  metadata: z.record(z.string(), z.unknown()).nullish(),
});
export type HapihubTransaction = z.output<typeof transactionSchema>;

/**
 * A row of `GET /inventory-stocks` (HAPIHUB_STOCK_SOURCE=endpoint): the vendor's own stock of one
 * item (`sku`, lot `control`) in one `warehouse`. The page that documents the service
 * (https://docs.fleming.hippocrades.org/api/Inventory_Stocks.html) could not be read here, so the
 * field names are the transactions' own (`sku`, `control`, `warehouse`, `quantity`, epoch ms)
 * and unverified: docs/vendors/hapihub.md lists them.
 */
export const stockRowSchema = z.looseObject({
  id: z.string().nullish(),
  warehouse: z.string().min(1),
  sku: z.string().min(1),
  control: text,
  quantity: z.number(),
  variantName: text,
  updatedAt: z.number().nullish(),
  createdAt: z.number().nullish(),
});
export type HapihubStockRow = z.output<typeof stockRowSchema>;

/** A find of a Feathers service: a bare array or a page (see `findSchema`). */
export const stockFindSchema = z.union([
  z.array(stockRowSchema),
  z.looseObject({ total: z.number().int().nonnegative(), limit: z.number().int().nonnegative(), skip: z.number().int().nonnegative(), data: z.array(stockRowSchema) }),
]);

/**
 * A find answers a bare array (the document; Feathers `paginate: false`) or a Feathers page
 * (`paginate` on): a client accepts both (seeds README, "What else is known").
 */
export const findSchema = z.union([
  z.array(transactionSchema),
  z.looseObject({
    total: z.number().int().nonnegative(),
    limit: z.number().int().nonnegative(),
    skip: z.number().int().nonnegative(),
    data: z.array(transactionSchema),
  }),
]);

/** What opsgraph writes: the fields of document 003's "Transaction - Post" table that it sets. */
export interface HapihubItemWrite {
  sku: string;
  control?: string;
  quantity?: number;
  adjustment?: number;
  price?: number;
  note?: string;
  expiresAt?: number;
}

export interface HapihubTransactionWrite {
  type: 'adjustment' | 'purchase' | 'sales' | 'transfer' | 'receiving' | 'packaging' | 'return';
  warehouse: string;
  source?: string;
  destination?: string;
  items: HapihubItemWrite[];
  reason?: string;
  invoice?: string;
  transaction?: string;
  createdAt?: number;
  metadata?: { opsgraphWrite: string };
}

/** A Feathers error body, as far as the write mapping reads it. */
export const feathersErrorSchema = z.looseObject({
  name: z.string().nullish(),
  message: z.string().nullish(),
  errors: z.record(z.string(), z.unknown()).nullish(),
});
