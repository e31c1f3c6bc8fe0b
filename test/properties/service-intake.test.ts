import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { INTAKE_TOKEN, startTestService, type TestService } from '../helpers/service.js';

// Over real HTTP, the intake answers as a ten-line model: the first valid (source, id) is accepted, a later one is a
// duplicate, bad data is rejected (400, the batch's other events applied), a bad envelope refuses the whole request
// and applies nothing; after every answer the engine has accepted exactly the model's events.

const RUNS = Number(process.env['FC_RUNS'] ?? 40);

type Kind = 'ok' | 'bad-data' | 'bad-envelope';
type Item = { readonly id: number; readonly kind: Kind };
type Step = { readonly batch: boolean; readonly items: readonly Item[] };

const item = fc.record({
  id: fc.integer({ min: 0, max: 3 }),
  kind: fc.constantFrom<Kind>('ok', 'ok', 'ok', 'bad-data', 'bad-envelope'),
});
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ batch: fc.constant(false), items: fc.tuple(item) }),
  fc.record({ batch: fc.constant(true), items: fc.array(item, { minLength: 1, maxLength: 4 }) }),
);

let service: TestService;
beforeAll(async () => {
  service = await startTestService();
});
afterAll(async () => {
  await service.stopAll();
});

let run = 0;
function event(prefix: string, { id, kind }: Item): Record<string, unknown> {
  const e = {
    specversion: '1.0',
    id: `${prefix}-${id}`,
    source: '/prop',
    type: 'run.state',
    time: '2026-01-01T00:00:00Z',
    data: { entity: 'acme', project: 'p', runId: `r${id}`, state: 'running' },
  };
  if (kind === 'bad-data') return { ...e, data: { ...e.data, state: 'exploded' } };
  if (kind === 'bad-envelope') return { ...e, id: '' };
  return e;
}

it('intake outcomes and HTTP statuses follow the model; refused requests change nothing', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 6 }), async (steps) => {
      const prefix = `run${run++}`;
      const seen = new Set<number>();
      const before = ((await (await service.call('/stats')).json()) as { accepted: number }).accepted;
      let accepted = 0;
      for (const s of steps) {
        const body = s.batch ? s.items.map((i) => event(prefix, i)) : event(prefix, s.items[0] as Item);
        const res = await service.call('/events', {
          method: 'POST',
          token: INTAKE_TOKEN,
          body: JSON.stringify(body),
          headers: {
            'content-type': s.batch ? 'application/cloudevents-batch+json' : 'application/cloudevents+json',
          },
        });
        const answer = (await res.json()) as { status?: string | number; results?: { status: string }[] };
        if (s.items.some((i) => i.kind === 'bad-envelope')) {
          expect(res.status).toBe(400);
          expect(answer.results).toBeUndefined();
        } else {
          const expected = s.items.map((i) => {
            if (i.kind === 'bad-data') return 'rejected';
            if (seen.has(i.id)) return 'duplicate';
            seen.add(i.id);
            accepted++;
            return 'accepted';
          });
          const rejected = expected.includes('rejected');
          expect(res.status).toBe(rejected ? 400 : 202);
          const got = s.batch || rejected ? answer.results?.map((r) => r.status) : [answer.status];
          expect(got).toEqual(expected);
        }
        const now = ((await (await service.call('/stats')).json()) as { accepted: number }).accepted;
        expect(now - before).toBe(accepted);
      }
    }),
    { numRuns: RUNS },
  );
}, 120_000);
