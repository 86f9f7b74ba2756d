export { openStore, StoreOpenError, SQLITE_FILE_NAME, type Store, type StoreDialect, type StoreSettings } from './database.js';
export { StoreSchemaError } from './migrate.js';
export type { StoreSchema } from './schema.js';
