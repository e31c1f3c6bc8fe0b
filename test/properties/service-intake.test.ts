import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { postStep, step } from '../helpers/intake-model.js';
import { startTestService, type TestService } from '../helpers/service.js';

// Over real HTTP, the intake answers as a ten-line model: the first valid (source, id) is accepted, a later one is a
// duplicate, bad data is rejected (400, the batch's other events applied), a bad envelope refuses the whole request
// and applies nothing; after every answer the engine has accepted exactly the model's events.

const RUNS = Number(process.env['FC_RUNS'] ?? 40);

let service: TestService;
beforeAll(async () => {
  service = await startTestService();
});
afterAll(async () => {
  await service.stopAll();
});

let run = 0;

it('intake outcomes and HTTP statuses follow the model; refused requests change nothing', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 6 }), async (steps) => {
      const prefix = `run${run++}`;
      const seen = new Set<number>();
      const before = ((await (await service.call('/stats')).json()) as { accepted: number }).accepted;
      let accepted = 0;
      for (const s of steps) {
        accepted += await postStep(service, prefix, s, seen, '2026-01-01T00:00:00Z');
        const now = ((await (await service.call('/stats')).json()) as { accepted: number }).accepted;
        expect(now - before).toBe(accepted);
      }
    }),
    { numRuns: RUNS },
  );
}, 120_000);
