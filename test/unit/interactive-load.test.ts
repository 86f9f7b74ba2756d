import { expect, it } from 'vitest';
import { InteractiveLoad } from '../../src/server/interactive-load.js';

const settled = async (promise: Promise<void>): Promise<boolean> => {
  let done = false;
  void promise.then(() => (done = true));
  await new Promise((resolve) => setTimeout(resolve, 10));
  return done;
};

it('waits while a request is in flight and wakes when the last one ends, each leaving counted once', async () => {
  const load = new InteractiveLoad(60_000);
  expect(await settled(load.quiet())).toBe(true);
  const leaveA = load.enter();
  const leaveB = load.enter();
  const waiting = load.quiet();
  leaveA();
  leaveA();
  expect(load.inFlight).toBe(1);
  expect(await settled(waiting)).toBe(false);
  leaveB();
  expect(await settled(waiting)).toBe(true);
});

it('waits at most its bound, and not at all with a bound of 0', async () => {
  const bounded = new InteractiveLoad(30);
  bounded.enter();
  const started = Date.now();
  await bounded.quiet();
  expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  const never = new InteractiveLoad(0);
  never.enter();
  expect(await settled(never.quiet())).toBe(true);
});
