export { IsolocityClient, SANDBOX_BASE_PATH, isolocityAuthHeaders } from './client.js';
export { createIsolocityRuntime } from './runtime.js';
