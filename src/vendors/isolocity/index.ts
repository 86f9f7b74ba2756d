export { IsolocityClient, SANDBOX_BASE_PATH, isolocityAuthHeaders, ROUTES, PROBE } from './client.js';
export { asIsolocityRuntime, createIsolocityRuntime, type IsolocityRuntime } from './runtime.js';
