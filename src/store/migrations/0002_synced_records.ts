import type { Kysely } from 'kysely';

/**
 * The synced copy of each vendor's list data (src/sync/): one row per vendor record, with the columns
 * lists filter and order by pulled out of its JSON, the multi-valued filter attributes (an order's SKU
 * codes and lot numbers) in a tag table, and each relation's sync progress. Times are text in one fixed
 * form (`YYYY-MM-DDTHH:MM:SS.ffffffZ`) so text order is time order on both dialects. Every index ends
 * with (vendor, key): keyset pages seek straight to their start, so page 1000 costs what page 1 costs.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('synced_record')
    .ifNotExists()
    .addColumn('vendor', 'text', (c) => c.notNull())
    .addColumn('relation', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('sort_at', 'text', (c) => c.notNull())
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('customer', 'text', (c) => c.notNull())
    .addColumn('parent_key', 'text', (c) => c.notNull())
    .addColumn('vendor_updated_at', 'text', (c) => c.notNull())
    .addColumn('synced_at', 'bigint', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('synced_record_pk', ['vendor', 'relation', 'key'])
    .execute();
  const recordIndexes: [string, string[]][] = [
    ['synced_record_by_sort_at', ['relation', 'sort_at', 'vendor', 'key']],
    ['synced_record_by_number', ['relation', 'number', 'vendor', 'key']],
    ['synced_record_by_updated', ['relation', 'vendor_updated_at', 'vendor', 'key']],
    ['synced_record_by_parent', ['relation', 'vendor', 'parent_key']],
  ];
  for (const [name, columns] of recordIndexes) {
    await db.schema.createIndex(name).ifNotExists().on('synced_record').columns(columns).execute();
  }

  await db.schema
    .createTable('synced_record_tag')
    .ifNotExists()
    .addColumn('vendor', 'text', (c) => c.notNull())
    .addColumn('relation', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('synced_record_tag_pk', ['vendor', 'relation', 'key', 'kind', 'value'])
    .execute();
  await db.schema.createIndex('synced_record_tag_by_value').ifNotExists().on('synced_record_tag').columns(['relation', 'kind', 'value']).execute();

  await db.schema
    .createTable('sync_state')
    .ifNotExists()
    .addColumn('vendor', 'text', (c) => c.notNull())
    .addColumn('relation', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('high_water', 'text')
    .addColumn('resume_cursor', 'text')
    .addColumn('rows', 'bigint', (c) => c.notNull())
    .addColumn('expected_rows', 'bigint')
    .addColumn('last_synced_at', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('next_run_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('sync_state_pk', ['vendor', 'relation'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('sync_state').ifExists().execute();
  await db.schema.dropTable('synced_record_tag').ifExists().execute();
  await db.schema.dropTable('synced_record').ifExists().execute();
}
