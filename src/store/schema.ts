/**
 * The tables of opsgraph's own store, as Kysely sees them. One interface per table, added by the
 * migration that creates it (src/store/migrations/). The same schema runs on SQLite (embedded default)
 * and PostgreSQL (DATABASE_URL), so column types stay within what both dialects share: text, integer
 * (bigint where counts may pass 2^31), and JSON kept as text.
 */
export interface StoreMetaTable {
  /** A key about the store itself, e.g. 'created_at'. */
  key: string;
  value: string;
}

export interface StoreSchema {
  store_meta: StoreMetaTable;
}
