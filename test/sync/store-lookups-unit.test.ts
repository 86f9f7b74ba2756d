import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceScope } from '../../src/cache/scope.js';
import { errorCode } from '../../src/errors.js';
import { freshnessOf } from '../../src/lists/freshness.js';
import type { Vendor } from '../../src/model/records.js';
import { openStore, type Store } from '../../src/store/index.js';
import type { RelationStatus } from '../../src/sync/engine.js';
import { upsertRows, type SyncedRelation } from '../../src/sync/record-store.js';
import { partRow, inspectionRow } from '../../src/sync/rows.js';
import { StoreLookups, type SyncProgress } from '../../src/sync/store-lookups.js';
import type { InspectionRecord, PartRecord } from '../../src/model/records.js';

/**
 * StoreLookups, the one way the vendor runtimes' cross-request lookups are answered with SYNC=on:
 * from the synced store once a relation's first pass has completed, SYNC_IN_PROGRESS before.
 */

let dir: string;
let store: Store;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'opsgraph-lookups-'));
  store = await openStore({ dataDir: dir, databaseUrl: null });
  const part = (id: string, identification: string): PartRecord => ({ vendor: 'ISOLOCITY', vendorId: id, identification, name: `Part ${id}` }) as PartRecord;
  await upsertRows(store.db, 'ISOLOCITY', 'parts', [partRow(part('1', 'P-100'), null), partRow(part('2', 'P-200'), null)]);
  const inspection = (id: string, partId: string, lot: string): InspectionRecord => ({ vendor: 'ISOLOCITY', vendorId: id, partVendorId: partId, lotNumber: lot, inspectedAt: `2024-01-0${id}T00:00:00Z`, passed: true }) as InspectionRecord;
  await upsertRows(store.db, 'ISOLOCITY', 'inspections', [inspectionRow(inspection('1', '1', 'L-1'), null), inspectionRow(inspection('2', '1', 'L-2'), null), inspectionRow(inspection('3', '2', 'L-1'), null)]);
});
afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** An engine whose relations are synced (or not) as the test says, recording the passes asked for. */
function engine(synced: Partial<Record<SyncedRelation, number | null>>): SyncProgress & { passes: string[] } {
  const passes: string[] = [];
  return {
    passes,
    state: (_vendor: Vendor, relation: SyncedRelation): RelationStatus => {
      const at = synced[relation] ?? null;
      return { state: at === null ? 'initial' : 'current', progress: at === null ? 0.4 : 1, rows: 2, lastSyncedAt: at, lastError: null };
    },
    requestPass: (vendor, relation) => passes.push(`${vendor}/${relation ?? '*'}`),
  };
}

const scopeOf = (): SourceScope => ({ call: {}, noteStale: () => undefined });

function lookupsWith(synced: Partial<Record<SyncedRelation, number | null>>) {
  const sync = engine(synced);
  const lookups = new StoreLookups(store.db);
  lookups.attach(sync);
  return { lookups, sync };
}

describe('lookups from the synced store', () => {
  it('finds parts by identification and inspections by part and by lot, and notes the relation’s freshness on the request', async () => {
    const { lookups } = lookupsWith({ parts: Date.parse('2026-01-01T00:00:00Z'), inspections: Date.parse('2026-01-02T00:00:00Z') });
    const scope = scopeOf();
    const parts = await lookups.byNumber<PartRecord>('ISOLOCITY', 'parts', ['P-200', 'P-999'], scope);
    expect(parts.get('P-200')?.map((p) => p.vendorId)).toEqual(['2']);
    expect(parts.get('P-999')).toEqual([]);
    const byPart = await lookups.byParent<InspectionRecord>('ISOLOCITY', 'inspections', ['1', '2'], scope);
    expect(byPart.get('1')?.map((i) => i.vendorId)).toEqual(['1', '2']);
    const byLot = await lookups.byTag<InspectionRecord>('ISOLOCITY', 'inspections', 'lot', ['L-1'], scope);
    expect(byLot.get('L-1')?.map((i) => i.vendorId)).toEqual(['1', '3']);
    // The oldest relation read is what the answer is as fresh as.
    expect(freshnessOf(scope)).toEqual({ isolocity: { lastSyncedAt: '2026-01-01T00:00:00.000Z', state: 'current' } });
  });

  it('answers SYNC_IN_PROGRESS with the progress before the relation’s first pass, never what is half stored', async () => {
    const { lookups } = lookupsWith({ parts: null });
    const error = await lookups.byNumber('ISOLOCITY', 'parts', ['P-100'], scopeOf()).catch((e: unknown) => e);
    expect(errorCode(error)).toBe('SYNC_IN_PROGRESS');
    expect((error as { extensions: Record<string, unknown> }).extensions.progress).toEqual({ isolocity: { progress: 0.4, rows: 2 } });
  });

  it('hands out what is stored by id even before the first pass (the caller reads a miss live)', async () => {
    const { lookups } = lookupsWith({ parts: null });
    const scope = scopeOf();
    const found = await lookups.storedByKey<PartRecord>('ISOLOCITY', 'parts', ['1', '9'], scope);
    expect([...found.keys()]).toEqual(['1']);
    // Nothing synced was read, so the answer claims no freshness.
    expect(freshnessOf(scope)).toBeNull();
  });

  it('asks the sync for a pass when a write misses, at most once per interval per relation', () => {
    const { lookups, sync } = lookupsWith({ parts: 1 });
    lookups.requestPassOnMiss('ISOLOCITY', 'parts', 10_000, 1_000);
    lookups.requestPassOnMiss('ISOLOCITY', 'parts', 10_000, 5_000);
    lookups.requestPassOnMiss('PHARUS', 'skus', 10_000, 5_000);
    lookups.requestPassOnMiss('ISOLOCITY', 'parts', 10_000, 11_000);
    expect(sync.passes).toEqual(['ISOLOCITY/parts', 'PHARUS/skus', 'ISOLOCITY/parts']);
  });
});
