export * from './types.js';
export { generateWorld, DEFAULT_WORLD_OPTIONS } from './generate.js';
export { worldCrosswalk, vendorCode, vendorPresence, type CrosswalkEntry } from './crosswalk.js';
export { createRandom, stableUuid, type Random } from './random.js';
