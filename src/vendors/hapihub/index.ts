export { HapihubClient, SANDBOX_BASE_PATH, hapihubAuthHeaders, FIND_LIMIT, ROUTES, PROBE } from './client.js';
export { createHapihubRuntime, type HapihubRuntime } from './runtime.js';
export { adjustStock, createInventoryTransaction, updateInventoryTransaction, type HapihubWriteContext, type InventoryTransactionResult } from './writes.js';
export { HapihubStockIndex } from './stock-index.js';
export { StockFold, type FoldedLevel } from './stock-fold.js';
export { toLevelRecord, toSkuRecord } from './mapping.js';
export { findSchema, transactionSchema, type HapihubTransaction } from './schemas.js';
