import fc from 'fast-check';
import { expect, it } from 'vitest';
import { createEngine, DoNothing, type Engine, OnRunState } from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';

const runs = Number(process.env['FC_RUNS'] ?? 200);
const STATES = ['pending', 'running', 'finished', 'failed', 'crashed', 'killed'] as const;
type Step = {
  run: number;
  project: 'p' | 'q';
  state: (typeof STATES)[number];
  dt: number;
  restore: number | undefined;
};

const step: fc.Arbitrary<Step> = fc.record({
  run: fc.integer({ min: 0, max: 5 }),
  project: fc.constantFrom('p' as const, 'q' as const),
  state: fc.constantFrom(...STATES),
  dt: fc.integer({ min: -20, max: 60 }),
  // Now and then the engine is snapshot and restored, into 1 to 4 partitions.
  restore: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined, freq: 8 }),
});
const spec = fc.record({
  states: fc.uniqueArray(fc.constantFrom('running' as const, 'finished' as const, 'failed' as const), {
    minLength: 1,
  }),
  atLeast: fc.integer({ min: 2, max: 4 }),
  withinMs: fc.integer({ min: 1, max: 200 }),
  per: fc.constantFrom('project' as const, 'entity' as const),
  cooldownMs: fc.constantFrom(0, 50, 24 * 3600e3),
  partitions: fc.integer({ min: 1, max: 4 }),
});

type Change = { runId: string; group: string; state: string; time: number };

it('a count trigger fires exactly where a brute-force count over all state changes says', () => {
  fc.assert(
    fc.property(spec, fc.array(step, { minLength: 1, maxLength: 80 }), (s, steps) => {
      const clock = new VirtualClock(0);
      let engine: Engine = createEngine({ clock, partitions: s.partitions });
      const { states, atLeast, withinMs, per, cooldownMs } = s;
      engine.save(OnRunState({ scope: 'acme', states, count: { atLeast, withinMs, per } }).do(DoNothing()), {
        name: 'count',
        cooldownMs,
      });
      // Model: per run its last state and time (crashed = failed; stale by time); every counted change kept.
      const last = new Map<string, { state: string; time: number }>();
      const changes: Change[] = [];
      const lastFired = new Map<string, number>();
      let time = 1000;
      steps.forEach((st, i) => {
        time += st.dt;
        const runId = `${st.project}-r${st.run}`;
        const prev = last.get(runId);
        const stale = prev !== undefined && time < prev.time;
        const to = st.state === 'crashed' ? 'failed' : st.state;
        let expected: string[] | undefined;
        if (!stale) {
          last.set(runId, { state: to, time });
          if (prev?.state !== to && (states as string[]).includes(to)) {
            const group = per === 'entity' ? 'acme' : st.project;
            changes.push({ runId, group, state: to, time });
            const mine = changes.filter((c) => c.group === group);
            const latest = Math.max(...mine.map((c) => c.time));
            const byRun = new Map<string, number>();
            for (const c of mine) byRun.set(c.runId, Math.max(byRun.get(c.runId) ?? -Infinity, c.time));
            const inWindow = [...byRun].filter(([, t]) => t > latest - withinMs);
            const held = lastFired.get(group);
            const cooling = cooldownMs > 0 && held !== undefined && time < held + cooldownMs;
            if (time > latest - withinMs && inWindow.length >= atLeast && !cooling) {
              if (cooldownMs > 0) lastFired.set(group, time);
              expected = inWindow.sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1)).map(([id]) => id);
            }
          }
        }
        const fired = engine.ingest({
          id: `e${i}`,
          source: '/t',
          type: 'run.state',
          time,
          data: { entity: 'acme', project: st.project, runId, state: st.state },
        });
        expect(fired.length, `step ${i}`).toBe(expected === undefined ? 0 : 1);
        if (expected !== undefined) expect(fired[0]?.count?.runs.map((r) => r.runId)).toEqual(expected);
        if (st.restore !== undefined)
          engine = createEngine({ clock, state: engine.snapshot(), partitions: st.restore });
      });
    }),
    { numRuns: runs },
  );
});
