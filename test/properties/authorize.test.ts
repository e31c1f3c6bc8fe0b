import fc from 'fast-check';
import { expect, it } from 'vitest';
import {
  type Authorize,
  createEngine,
  DoNothing,
  events,
  isForbiddenError,
  OnRunMetric,
  RunEvent,
} from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';

const NUM_RUNS = Number(process.env['FC_RUNS'] ?? 200);
const TEAMS = ['acme', 'beta', 'gamma'] as const;
type Team = (typeof TEAMS)[number];

type Step =
  | { readonly kind: 'save'; readonly by: Team; readonly entity: Team }
  | { readonly kind: 'update'; readonly by: Team; readonly which: number; readonly entity: Team }
  | { readonly kind: 'rename'; readonly by: Team; readonly which: number }
  | { readonly kind: 'delete'; readonly by: Team; readonly which: number }
  | { readonly kind: 'event'; readonly entity: Team };

const team = fc.constantFrom(...TEAMS);
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('save' as const), by: team, entity: team }),
  fc.record({ kind: fc.constant('update' as const), by: team, which: fc.nat(), entity: team }),
  fc.record({ kind: fc.constant('rename' as const), by: team, which: fc.nat() }),
  fc.record({ kind: fc.constant('delete' as const), by: team, which: fc.nat() }),
  fc.record({ kind: fc.constant('event' as const), entity: team }),
);

/** The README's rule, looking at `target.scope` only: a team acts on and reads its own entity. */
const byTeam: Authorize = (principal, _op, target) => target.scope?.entity === principal;
const trigger = (entity: Team) =>
  OnRunMetric({ scope: entity, filter: RunEvent.metric('m').gt(0) }).do(DoNothing());

it('property: through as(team), an automation only ever lives in, fires on and is read by its own team', () => {
  fc.assert(
    fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
      const engine = createEngine({ clock: new VirtualClock(0), authorize: byTeam });
      // The model: automation id → the entity it watches; every change allowed iff before and after are the team's.
      const model = new Map<string, Team>();
      let n = 0;
      for (const s of steps) {
        const ids = [...model.keys()];
        const id =
          s.kind === 'save' || s.kind === 'event' ? undefined : ids[s.which % Math.max(ids.length, 1)];
        const attempt = (): unknown => {
          if (s.kind === 'save')
            return engine.as(s.by).save(trigger(s.entity), { name: `a${++n}`, cooldownMs: 0 });
          if (s.kind === 'update')
            return engine.as(s.by).update(id ?? 'none', { event: trigger(s.entity).event });
          if (s.kind === 'rename') return engine.as(s.by).update(id ?? 'none', { name: `r${++n}` });
          if (s.kind === 'delete') return engine.as(s.by).delete(id ?? 'none');
          const runId = `r${++n}`;
          return engine.ingest(
            events.runMetrics({ entity: s.entity, project: 'p', runId, metrics: { m: 1 } }),
          );
        };
        const current = id === undefined ? undefined : model.get(id);
        const allowed =
          s.kind === 'event' ||
          (s.kind === 'save' && s.by === s.entity) ||
          (s.kind === 'update' && current === s.by && s.entity === s.by) ||
          ((s.kind === 'rename' || s.kind === 'delete') && current === s.by);
        let result: unknown;
        try {
          result = attempt();
        } catch (error) {
          expect(isForbiddenError(error)).toBe(true);
          expect(allowed).toBe(false);
          continue;
        }
        expect(allowed).toBe(true);
        if (s.kind === 'save') model.set((result as { id: string }).id, s.entity);
        if (s.kind === 'update' && id !== undefined) model.set(id, s.entity);
        if (s.kind === 'delete' && id !== undefined) model.delete(id);
        if (s.kind === 'event') {
          const fired = (result as { automationId: string }[]).map((f) => f.automationId).sort();
          expect(fired).toEqual(
            [...model]
              .filter(([, e]) => e === s.entity)
              .map(([i]) => i)
              .sort(),
          );
        }
        for (const t of TEAMS) {
          const mine = [...model].filter(([, e]) => e === t).map(([i]) => i);
          expect(
            engine
              .as(t)
              .list()
              .map((a) => a.id),
          ).toEqual(mine);
        }
      }
      expect(engine.list().map((a) => [a.id, a.scope?.entity])).toEqual([...model]);
    }),
    { numRuns: NUM_RUNS },
  );
});
