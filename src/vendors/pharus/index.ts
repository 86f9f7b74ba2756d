export { PharusClient, SANDBOX_BASE_PATH, PAGE_LIMIT, pharusAuthHeaders } from './client.js';
export { createPharusRuntime, CONCURRENCY } from './runtime.js';
export { orderStatusOf, toLevelRecord, toOrderRecord, toSkuRecord } from './mapping.js';
