import { describe, expect, it } from 'vitest';
import { KeyBatcher } from '../../src/cache/key-batcher.js';

/** A batcher whose loads wait until the test releases them, recording each batch of keys. */
function held(maxInFlight = 1, maxKeys = 100) {
  const batches: string[][] = [];
  const releases: (() => void)[] = [];
  const batcher = new KeyBatcher<string>({
    maxInFlight,
    maxKeys,
    deadlineMs: 10_000,
    load: (keys) => {
      batches.push([...keys]);
      return new Promise((resolve) => releases.push(() => resolve(new Map(keys.filter((k) => k !== 'missing').map((k) => [k, `value of ${k}`])))));
    },
  });
  return { batcher, batches, release: (i: number) => releases[i]?.() };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('KeyBatcher', () => {
  it('sends the keys of every caller in one turn as one batch, each caller getting its own keys in order', async () => {
    const { batcher, batches, release } = held();
    const a = batcher.getMany(['p1', 'p2'], {}, {});
    const b = batcher.getMany(['p3', 'p1', 'missing'], {}, {});
    await tick();
    expect(batches).toEqual([['p1', 'p2', 'p3', 'missing']]);
    release(0);
    expect(await a).toEqual(['value of p1', 'value of p2']);
    expect(await b).toEqual(['value of p3', 'value of p1', undefined]);
  });

  it('holds keys asked for while maxInFlight batches are under way, and sends them together in the next', async () => {
    const { batcher, batches, release } = held(1);
    const first = batcher.getMany(['p1'], {}, {});
    await tick();
    const later = [batcher.getMany(['p2'], {}, {}), batcher.getMany(['p3'], {}, {})];
    await tick();
    const third = batcher.getMany(['p4', 'p1'], {}, {});
    await tick();
    // p1 is in flight already: it is not asked for again.
    expect(batches).toEqual([['p1']]);
    release(0);
    await first;
    await tick();
    expect(batches).toEqual([['p1'], ['p2', 'p3', 'p4']]);
    release(1);
    expect(await Promise.all([...later, third])).toEqual([['value of p2'], ['value of p3'], ['value of p4', 'value of p1']]);
  });

  it('splits a batch at maxKeys', async () => {
    const { batcher, batches, release } = held(2, 2);
    const all = batcher.getMany(['a', 'b', 'c'], {}, {});
    await tick();
    expect(batches).toEqual([['a', 'b'], ['c']]);
    release(0);
    release(1);
    expect(await all).toEqual(['value of a', 'value of b', 'value of c']);
  });

  it('lets a caller leave on its own signal while the batch goes on for the others', async () => {
    const { batcher, release } = held();
    const leaving = new AbortController();
    const gone = batcher.getMany(['p1'], {}, { signal: leaving.signal }).catch((e: unknown) => e);
    const staying = batcher.getMany(['p1'], {}, {});
    await tick();
    leaving.abort('client went away');
    expect(await gone).toBe('client went away');
    release(0);
    expect(await staying).toEqual(['value of p1']);
  });

  it('fails every key of a failed batch, and asks again next time', async () => {
    let calls = 0;
    const batcher = new KeyBatcher<string>({
      maxInFlight: 1,
      maxKeys: 10,
      deadlineMs: 1_000,
      load: async (keys) => {
        calls++;
        if (calls === 1) throw new Error('vendor down');
        return new Map(keys.map((k) => [k, k]));
      },
    });
    const results = await Promise.all([batcher.getMany(['a'], {}, {}), batcher.getMany(['b'], {}, {})].map((p) => p.catch((e: Error) => e.message)));
    expect(results).toEqual(['vendor down', 'vendor down']);
    expect(await batcher.getMany(['a'], {}, {})).toEqual(['a']);
    expect(calls).toBe(2);
  });
});
