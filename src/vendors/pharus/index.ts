export { PharusClient, SANDBOX_BASE_PATH, PAGE_LIMIT, pharusAuthHeaders, ROUTES, PROBE } from './client.js';
export { asPharusRuntime, createPharusRuntime, CONCURRENCY, MISS_REFRESH_MS, type PharusChange, type PharusRuntime } from './runtime.js';
export { orderStatusOf, toLevelRecord, toOrderRecord, toSkuRecord } from './mapping.js';
export { adjustFinishedGoods, type PharusWriteContext } from './writes.js';
