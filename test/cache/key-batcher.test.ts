import { describe, expect, it } from 'vitest';
import { KeyBatcher } from '../../src/cache/key-batcher.js';
import type { CallReservation, CallScope } from '../../src/http/types.js';

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

  describe('with a budget (reserve)', () => {
    /** A batcher whose budget places are granted when the test says, recording each batch and the scope its load got. */
    function budgeted(maxInFlight = 2, maxKeys = 100) {
      const batches: string[][] = [];
      const scopes: CallScope[] = [];
      const grants: (() => void)[] = [];
      const released: string[] = [];
      const batcher = new KeyBatcher<string>({
        maxInFlight,
        maxKeys,
        deadlineMs: 10_000,
        reserve: () =>
          new Promise<CallReservation>((resolve) => {
            const n = grants.length;
            grants.push(() => resolve({ take: () => ({ release: () => released.push(`grant ${n}`) }), release: () => released.push(`unused ${n}`) }));
          }),
        load: (keys, call) => {
          batches.push([...keys]);
          scopes.push(call);
          return Promise.resolve(new Map(keys.map((k) => [k, `value of ${k}`])));
        },
      });
      return { batcher, batches, scopes, grants, released, grant: (i: number) => grants[i]?.() };
    }

    it('takes its keys when the budget lets the call out, so keys asked for while it waits ride along', async () => {
      const { batcher, batches, scopes, grants, grant } = budgeted(1);
      const first = batcher.getMany(['p1'], {}, {});
      await tick();
      // Waiting for the budget: nothing sent, the keys still open to others.
      expect(grants).toHaveLength(1);
      expect(batches).toEqual([]);
      const second = batcher.getMany(['p2', 'p3'], {}, {});
      await tick();
      const third = batcher.getMany(['p4', 'p1'], {}, {});
      await tick();
      expect(grants).toHaveLength(1);
      grant(0);
      expect(await Promise.all([first, second, third])).toEqual([['value of p1'], ['value of p2', 'value of p3'], ['value of p4', 'value of p1']]);
      // One call for every key that arrived before the budget let it out, under that place.
      expect(batches).toEqual([['p1', 'p2', 'p3', 'p4']]);
      expect(scopes[0]?.reserved).toBeDefined();
    });

    it('waits for one place per maxKeys keys queued, each taking at most maxKeys when granted', async () => {
      const { batcher, batches, grants, grant } = budgeted(2, 2);
      const all = batcher.getMany(['a', 'b', 'c'], {}, {});
      await tick();
      expect(grants).toHaveLength(2);
      const late = batcher.getMany(['d'], {}, {});
      await tick();
      // Still two places asked for: the two batches waiting will carry four keys.
      expect(grants).toHaveLength(2);
      grant(1);
      grant(0);
      expect(await Promise.all([all, late])).toEqual([['value of a', 'value of b', 'value of c'], ['value of d']]);
      expect(batches).toEqual([
        ['a', 'b'],
        ['c', 'd'],
      ]);
    });

    it('fails the keys a batch would have carried when the budget refuses it, and asks again for later keys', async () => {
      let refused = true;
      const batches: string[][] = [];
      const batcher = new KeyBatcher<string>({
        maxInFlight: 1,
        maxKeys: 10,
        deadlineMs: 1_000,
        reserve: () => (refused ? Promise.reject(new Error('too many calls waiting')) : Promise.resolve({ take: () => undefined, release: () => undefined })),
        load: (keys) => {
          batches.push([...keys]);
          return Promise.resolve(new Map(keys.map((k) => [k, k])));
        },
      });
      const results = await Promise.all([batcher.getMany(['a'], {}, {}), batcher.getMany(['b'], {}, {})].map((p) => p.catch((e: Error) => e.message)));
      expect(results).toEqual(['too many calls waiting', 'too many calls waiting']);
      expect(batches).toEqual([]);
      refused = false;
      expect(await batcher.getMany(['a'], {}, {})).toEqual(['a']);
      expect(batches).toEqual([['a']]);
    });
  });
});
