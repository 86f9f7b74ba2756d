export { SyncEngine, type RelationStatus, type SyncEngineOptions, type VendorSyncStatus } from './engine.js';
export { RELATIONS } from './relations/index.js';
export { DEFAULT_SYNC_SETTINGS, type SyncSettings } from './settings.js';
export type { SyncedRelation, SyncStateName } from './record-store.js';
