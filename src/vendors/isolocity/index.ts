export { IsolocityClient, SANDBOX_BASE_PATH, isolocityAuthHeaders } from './client.js';
export { asIsolocityRuntime, createIsolocityRuntime, type IsolocityRuntime } from './runtime.js';
