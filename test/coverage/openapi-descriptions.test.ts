import { validate } from '@readme/openapi-parser';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/** The operation counts of the four vendor documents (issue 13; seeds/README.md). */
const DOCUMENTED = { isolocity: 72, pharus: 183, distru: 17, hapihub: 4 } as const;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

function operationsOf(vendor: string): { method: string; path: string; op: Record<string, unknown> }[] {
  const doc = parse(readFileSync(new URL(`../../docs/vendors/${vendor}.openapi.yaml`, import.meta.url), 'utf8')) as { paths: Record<string, Record<string, Record<string, unknown>>> };
  return Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).filter(([m]) => METHODS.includes(m)).map(([method, op]) => ({ method, path, op })));
}

describe('the vendor descriptions (docs/vendors/<vendor>.openapi.yaml)', () => {
  for (const [vendor, count] of Object.entries(DOCUMENTED)) {
    it(`${vendor}: is valid OpenAPI 3.1 by @readme/openapi-parser`, async () => {
      const result = await validate(fileURLToPathString(`../../docs/vendors/${vendor}.openapi.yaml`));
      expect(result.valid ? [] : result.errors).toEqual([]);
    });

    it(`${vendor}: describes every one of the document's ${count} operations, each with a heading, an id and a response`, () => {
      const ops = operationsOf(vendor);
      expect(ops).toHaveLength(count);
      const ids = ops.map((o) => o.op.operationId);
      expect(new Set(ids).size).toBe(count);
      for (const { op } of ops) {
        expect(typeof op['x-opsgraph-heading']).toBe('string');
        expect(Object.keys(op.responses as object).some((s) => s.startsWith('2'))).toBe(true);
      }
    });
  }

  it('says where every ISOlocity and Pharus path comes from (the documents print none)', () => {
    for (const vendor of ['isolocity', 'pharus']) {
      for (const { method, path, op } of operationsOf(vendor)) expect(op['x-opsgraph-evidence'], `${method} ${path}`).toMatch(/\w{10}/);
    }
  });
});

function fileURLToPathString(relative: string): string {
  return new URL(relative, import.meta.url).pathname;
}
