import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MUTATION_CASES, mutationOf, writesSent, type CaseEnv, type MutationCase } from '../support/mutation-cases.js';
import { startStack, type GqlResponse, type Stack } from '../support/stack.js';

/**
 * The network drops the answer after the vendor wrote (the sandbox fault `loseResponse` applies the
 * write, then destroys the connection), for every mutation (test/support/mutation-cases.ts). A
 * client retries with its idempotency key: the vendor must hold exactly one record, counted in the
 * sandbox's own store, and every answer after the look is the first write's.
 */
let stack: Stack;
let env: CaseEnv;
beforeAll(async () => {
  // A hundred lost answers in a row would open the write breaker (write-breaker.test.ts's subject):
  // here every send must reach the idempotency store and the vendor. The HTTP layer still retries
  // idempotent writes (PATCHes, Distru's upserts), after 1-5 ms instead of 100 ms-2 s. Distru's 2
  // calls a second would make a hundred re-sent upserts last minutes: the sandbox is no live company.
  const breaker = { breaker: { failureThreshold: 1_000_000, openMs: 1_000 }, retries: { max: 2, baseDelayMs: 1, maxDelayMs: 5 } };
  stack = await startStack({
    sandbox: { scale: 0.2 },
    env: { DISTRU_MAX_RPS: '1000' },
    gateway: { httpOverrides: { ISOLOCITY: breaker, PHARUS: breaker, DISTRU: breaker, HAPIHUB: breaker } },
  });
  env = { gql: (query, variables) => stack.gql(query, variables), sandboxes: stack.sandboxes };
});
afterAll(() => stack?.close());

const RETRIES = 100;

function loseAnswers(c: MutationCase): void {
  stack.sandboxes.handles[c.vendor]?.stats.reset();
  stack.sandboxes.handles[c.vendor]?.faults.add({ match: c.lose, loseResponse: true });
}
function heal(): void {
  for (const handle of Object.values(stack.sandboxes.handles)) handle?.faults.clear();
}

/** Sends the same mutation `times` times, one after the other, as a retrying client does. */
async function retry(query: string, input: Record<string, unknown>, times = RETRIES): Promise<GqlResponse<unknown>[]> {
  const answers: GqlResponse<unknown>[] = [];
  for (let i = 0; i < times; i++) answers.push(await stack.gql(query, { input }));
  return answers;
}

const codes = (answers: (GqlResponse<unknown> | undefined)[]) => answers.map((a) => (a?.errors?.[0]?.extensions?.code as string | undefined) ?? 'OK');
const slug = (name: string) => name.replace(/[^A-Za-z]+/g, '-').toLowerCase();
const cases = MUTATION_CASES.map((c) => [c.name, c] as const);

describe.each(cases)('%s', (_name, c) => {
  it(`with a key, ${RETRIES} sends whose answers are lost make exactly one vendor record`, async () => {
    const tag = `lost-${slug(c.name)}`;
    const write = await c.prepare(env, tag);
    const input = { ...write.input, idempotencyKey: tag };
    loseAnswers(c);
    const answers = await retry(c.query, input);
    heal();
    expect(answers[0]?.errors?.[0]?.extensions).toMatchObject({ code: 'OUTCOME_UNKNOWN', written: 'unknown', vendor: c.vendor });
    if (c.recognition === 'find') {
      // The first retry looks, finds the write and remembers it: nothing is sent again.
      expect(codes(answers)).toEqual(['OUTCOME_UNKNOWN', ...Array<string>(RETRIES - 1).fill('OK')]);
      expect(writesSent(stack.sandboxes, c)).toBe(1);
    } else if (c.recognition === 'resend') {
      // Sending it again is the look (the vendor makes it the same state), and every answer is lost
      // again; the HTTP layer also retries an idempotent write itself.
      expect(codes(answers)).toEqual(Array<string>(RETRIES).fill('OUTCOME_UNKNOWN'));
      expect(writesSent(stack.sandboxes, c)).toBeGreaterThanOrEqual(RETRIES);
    } else {
      // Nothing tells this write apart: it stays unknown, and is never sent twice.
      expect(codes(answers)).toEqual(Array<string>(RETRIES).fill('OUTCOME_UNKNOWN'));
      expect(answers[1]?.errors?.[0]?.extensions).toMatchObject({ written: 'unknown', idempotencyKey: tag });
      expect(writesSent(stack.sandboxes, c)).toBe(1);
    }
    expect(write.records()).toBe(1);

    // The network heals: the key answers the one write (an unrecognisable one stays unknown).
    const [healed] = await retry(c.query, input, 1);
    expect(codes([healed])).toEqual([c.recognition === 'none' ? 'OUTCOME_UNKNOWN' : 'OK']);
    expect(write.records()).toBe(1);
  });

  it('without a key, a lost answer is OUTCOME_UNKNOWN with written "unknown", never a failure', async () => {
    const write = await c.prepare(env, `nokey-${slug(c.name)}`);
    loseAnswers(c);
    const [answer] = await retry(c.query, write.input, 1);
    heal();
    expect(answer?.errors?.[0]?.extensions).toMatchObject({ code: 'OUTCOME_UNKNOWN', written: 'unknown', vendor: c.vendor });
    expect(answer?.errors?.[0]?.extensions).not.toHaveProperty('idempotencyKey');
    expect(write.records()).toBe(1);
  });
});

/** Mutations whose vendor refuses a second record of the same input (a unique key), and an input that differs. */
const OWN_CONFLICTS: Record<string, Record<string, unknown>> = {
  createNcr: { quantity: 5 },
  addPharusSalesOrderItem: { quantity: 3 },
};

describe.each(cases.filter(([name]) => name in OWN_CONFLICTS))('%s without a key', (name, c) => {
  it("answers the CONFLICT caused by the client's own lost write as the record it made; another input stays CONFLICT", async () => {
    const write = await c.prepare(env, `own-${slug(name)}`);
    loseAnswers(c);
    const [lost] = await retry(c.query, write.input, 1);
    heal();
    expect(codes([lost])).toEqual(['OUTCOME_UNKNOWN']);
    const [again] = await retry(c.query, write.input, 1);
    expect(again?.errors).toBeUndefined();
    expect(write.records()).toBe(1);
    const [different] = await retry(c.query, { ...write.input, ...OWN_CONFLICTS[name] }, 1);
    expect(codes([different])).toEqual(['CONFLICT']);
    expect(write.records()).toBe(1);
  });
});

describe('a generated per-vendor mutation (isolocityCreateCar)', () => {
  const CREATE_CAR = 'mutation($input: IsolocityCreateCarInput!, $key: String) { isolocityCreateCar(input: $input, idempotencyKey: $key) { car { vendorId car_number } } }';
  const carWrites = () => (stack.sandboxes.handles.isolocity?.stats.requests() ?? []).filter((r) => r.method === 'POST' && r.path === '/api/v2/cars').length;

  it('with a key, a lost answer stays OUTCOME_UNKNOWN for the key and is never sent again', async () => {
    stack.sandboxes.handles.isolocity?.stats.reset();
    stack.sandboxes.handles.isolocity?.faults.add({ match: 'POST /api/v2/cars', loseResponse: true });
    const lost: GqlResponse<unknown>[] = [];
    for (let i = 0; i < 5; i++) lost.push(await stack.gql(CREATE_CAR, { input: { car_number: 'CAR-LOST-1' }, key: 'lost-car' }));
    heal();
    const healed = await stack.gql(CREATE_CAR, { input: { car_number: 'CAR-LOST-1' }, key: 'lost-car' });
    expect(codes([...lost, healed])).toEqual(Array<string>(6).fill('OUTCOME_UNKNOWN'));
    expect(healed.errors?.[0]?.extensions).toMatchObject({ written: 'unknown', idempotencyKey: 'lost-car' });
    expect(carWrites()).toBe(1);
  });

  it('without a key, a lost answer is OUTCOME_UNKNOWN with written "unknown"', async () => {
    stack.sandboxes.handles.isolocity?.faults.add({ match: 'POST /api/v2/cars', loseResponse: true });
    const answer = await stack.gql(CREATE_CAR, { input: { car_number: 'CAR-LOST-2' } });
    heal();
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'OUTCOME_UNKNOWN', written: 'unknown', vendor: 'isolocity' });
  });
});

describe('the table of cases', () => {
  it('covers every unified mutation of the schema (the generated per-vendor ones aside)', async () => {
    const r = await stack.gql<{ __schema: { mutationType: { fields: { name: string }[] } } }>('{ __schema { mutationType { fields { name } } } }');
    const unified = (r.data?.__schema.mutationType.fields ?? []).map((f) => f.name).filter((name) => !/^(isolocity|pharus|distru|hapihub)[A-Z]/.test(name));
    expect(unified).toHaveLength(18);
    expect([...new Set(MUTATION_CASES.map(mutationOf))].sort()).toEqual(unified.sort());
  });
});

describe('bad idempotency keys are refused before any vendor call', () => {
  it.each([
    ['longer than 200 characters', 'k'.repeat(201), 'must be at most 200 characters'],
    ['with a control character', 'key\nwith-newline', 'must not contain control characters'],
  ])('a key %s', async (_what, idempotencyKey, message) => {
    await stack.resetStats();
    const [answer] = await retry('mutation($input: CreateNcrInput!) { createNcr(input: $input) { ncr { vendorId } } }', { idempotencyKey, number: 'NCR-BADKEY', source: 'INTERNAL', quantity: 1 }, 1);
    expect(answer?.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.idempotencyKey', fields: [{ field: 'input.idempotencyKey', message }] });
    expect((await stack.stats()).isolocity.total).toBe(0);
  });
});
