import { distruApi } from '../generated/distru-api.generated.js';
import { hapihubApi } from '../generated/hapihub-api.generated.js';
import { isolocityApi } from '../generated/isolocity-api.generated.js';
import { pharusApi } from '../generated/pharus-api.generated.js';
import type { VendorApi, VendorOperation } from './types.js';

/** Every generated vendor API (docs/vendors/<vendor>.openapi.yaml → `npm run codegen`). */
export const vendorApis: readonly VendorApi[] = [isolocityApi, pharusApi, distruApi, hapihubApi];

/**
 * Every generated mutation by name, with its vendor: what an authorisation layer needs to give each
 * write its vendor's scope (`operationFor('isolocityCreateCar').vendor === 'isolocity'`).
 */
export const generatedMutations: ReadonlyMap<string, VendorOperation> = new Map(vendorApis.flatMap((api) => api.operations.filter((op) => op.kind === 'write').map((op) => [op.graphql.field, op] as const)));
