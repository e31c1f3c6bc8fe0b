import fc from 'fast-check';
import { expect, it } from 'vitest';
import { createEngine, DoNothing, OnRunState } from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';

const runs = Number(process.env['FC_RUNS'] ?? 200);
const STATES = ['pending', 'running', 'finished', 'failed', 'crashed', 'killed'] as const;
type Step = { run: number; state: (typeof STATES)[number]; dt: number; sequence: number | undefined };

const step: fc.Arbitrary<Step> = fc.record({
  run: fc.integer({ min: 0, max: 2 }),
  state: fc.constantFrom(...STATES),
  dt: fc.integer({ min: -3, max: 3 }),
  sequence: fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }),
});
const watched = fc.uniqueArray(
  fc.constantFrom('running', 'finished', 'failed') as fc.Arbitrary<'running' | 'finished' | 'failed'>,
  {
    minLength: 1,
  },
);

it('run state transitions fire exactly as a reference model of each run says', () => {
  fc.assert(
    fc.property(watched, fc.array(step, { minLength: 1, maxLength: 60 }), (states, steps) => {
      const engine = createEngine({ clock: new VirtualClock(0) });
      engine.save(OnRunState({ scope: 'acme', states }).do(DoNothing()), { name: 's', cooldownMs: 0 });
      // Model: per run, the last applied (state, sequence, time); stale = older by sequence if both have one, else by time.
      const last = new Map<number, { state: string; sequence: number | undefined; time: number }>();
      let time = 1000;
      steps.forEach((s, i) => {
        time += s.dt;
        const prev = last.get(s.run);
        const stale =
          prev !== undefined &&
          (s.sequence !== undefined && prev.sequence !== undefined
            ? s.sequence < prev.sequence
            : time < prev.time);
        const to = s.state === 'crashed' ? 'failed' : s.state;
        const fires = !stale && prev?.state !== to && (states as string[]).includes(to);
        if (!stale) last.set(s.run, { state: to, sequence: s.sequence, time });
        const event = {
          id: `e${i}`,
          source: '/t',
          type: 'run.state',
          time,
          ...(s.sequence !== undefined && { sequence: s.sequence }),
          data: { entity: 'acme', project: 'p', runId: `r${s.run}`, state: s.state },
        };
        expect(engine.ingest(event).length, `step ${i}`).toBe(fires ? 1 : 0);
      });
    }),
    { numRuns: runs },
  );
});
