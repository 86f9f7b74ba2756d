export { DistruClient, SANDBOX_BASE_PATH, distruAuthHeaders, ROUTES, PROBE } from './client.js';
export { createDistruRuntime } from './runtime.js';
