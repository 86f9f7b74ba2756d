export { IsolocityClient, SANDBOX_BASE_PATH, isolocityAuthHeaders, isolocityRoutes, isolocityProbe } from './client.js';
export { asIsolocityRuntime, createIsolocityRuntime, type IsolocityRuntime } from './runtime.js';
