export { DistruClient, SANDBOX_BASE_PATH, distruAuthHeaders } from './client.js';
export { createDistruRuntime } from './runtime.js';
