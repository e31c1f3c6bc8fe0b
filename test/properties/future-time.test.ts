import fc from 'fast-check';
import { expect, it } from 'vitest';
import {
  createEngine,
  DoNothing,
  type Firing,
  type Issue,
  OnAddArtifactTag,
  OnEvent,
  OnRunMetric,
  OnRunState,
  RunEvent,
} from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';

const runs = Number(process.env['FC_RUNS'] ?? 200);
const T0 = Date.parse('2026-01-01T00:00:00Z');
const HOUR = 3_600_000;
const MAX_FUTURE = 5 * 60_000;

/** One engine with a retention short enough that a watermark moved by a future event would evict runs. */
function setup() {
  const clock = new VirtualClock(T0);
  const engine = createEngine({
    clock,
    retention: { runIdleMs: 2 * HOUR, terminalRunMs: HOUR, sweepEvery: 1 },
  });
  const issues: Issue[] = [];
  engine.errors$.subscribe((i) => issues.push(i));
  const save = (draft: Parameters<typeof engine.save>[0], name: string, cooldownMs = 0) =>
    engine.save(draft, { name, cooldownMs });
  save(
    OnRunMetric({ scope: 'acme', filter: RunEvent.metric('loss').mean(3).lt(0.5) }).do(DoNothing()),
    'mean',
  );
  save(
    OnRunMetric({ scope: 'acme', filter: RunEvent.metric('loss').gt(0.9) }).do(DoNothing()),
    'spike',
    HOUR,
  );
  save(OnRunState({ scope: 'acme', states: ['finished', 'failed'] }).do(DoNothing()), 'state');
  save(OnAddArtifactTag({ scope: 'acme', tag: '^eu' }).do(DoNothing()), 'tag');
  save(OnEvent({ includedEventTypes: ['custom.ping'] }).do(DoNothing()), 'ping');
  return { clock, engine, issues };
}

type Step = { readonly dt: number; readonly body: { readonly type: string; readonly data: object } };

const runId = fc.constantFrom('r1', 'r2', 'r3');
const body = fc.oneof(
  fc.record({ runId, loss: fc.double({ min: 0, max: 1, noNaN: true }) }).map(({ runId, loss }) => ({
    type: 'run.metrics',
    data: { entity: 'acme', project: 'vision', runId, metrics: { loss } },
  })),
  fc
    .record({ runId, state: fc.constantFrom('running', 'finished', 'failed') })
    .map((d) => ({ type: 'run.state', data: { entity: 'acme', project: 'vision', ...d } })),
  fc.record({ version: fc.nat(3), tag: fc.constantFrom('eu-west', 'us') }).map((d) => ({
    type: 'artifact.tag.added',
    data: { entity: 'acme', project: 'vision', collection: 'c', ...d },
  })),
  fc.constant({ type: 'custom.ping', data: {} }),
);
/** Each event moves the clock on by dt (up to 20 minutes) and is dated up to maxFutureMs either side of it. */
const step: fc.Arbitrary<Step & { readonly skew: number }> = fc.record({
  dt: fc.nat(20 * 60_000),
  skew: fc.integer({ min: -MAX_FUTURE, max: MAX_FUTURE }),
  body,
});
/** How far past the limit a future event is: a millisecond, hours, days, or the year 9999. */
const beyond = fc.oneof(
  fc.integer({ min: 1, max: 1000 }),
  fc.integer({ min: 1, max: 30 * 24 * HOUR }),
  fc.constant(Date.parse('9999-12-31T23:59:59Z') - T0),
);
const future = fc.record({ pos: fc.nat(), beyond, body, textTime: fc.boolean() });

const summary = (fired: readonly Firing[]) =>
  fired.map((f) => ({
    id: f.id,
    automation: f.automationName,
    event: f.event.id,
    runId: f.runId,
    time: f.time,
  }));

it('future-dated events mixed into a stream are refused, and the firings are those of the stream without them', () => {
  fc.assert(
    fc.property(
      fc.array(step, { minLength: 1, maxLength: 40 }),
      fc.array(future, { maxLength: 10 }),
      (steps, futures) => {
        type Item = {
          readonly dt: number;
          readonly event: (now: number) => object;
          readonly future: boolean;
        };
        const items: Item[] = steps.map((s, i) => ({
          dt: s.dt,
          future: false,
          event: (now) => ({ id: `v${i}`, source: '/p', time: Math.max(0, now + s.skew), ...s.body }),
        }));
        futures.forEach((f, i) => {
          const item: Item = {
            dt: 0,
            future: true,
            event: (now) => {
              const ms = Math.min(now + MAX_FUTURE + f.beyond, Date.parse('9999-12-31T23:59:59.999Z'));
              return {
                id: `f${i}`,
                source: '/p',
                time: f.textTime ? new Date(ms).toISOString() : ms,
                ...f.body,
              };
            },
          };
          items.splice(f.pos % (items.length + 1), 0, item);
        });

        const mixed = setup();
        const firedMixed: Firing[] = [];
        for (const item of items) {
          mixed.clock.advance(item.dt);
          const before = mixed.issues.length;
          firedMixed.push(...mixed.engine.ingest(item.event(mixed.clock.now())));
          if (item.future) expect(mixed.issues.slice(before).map((i) => i.code)).toEqual(['out_of_range']);
        }

        const clean = setup();
        const firedClean: Firing[] = [];
        for (const item of items) {
          clean.clock.advance(item.dt);
          if (!item.future) firedClean.push(...clean.engine.ingest(item.event(clean.clock.now())));
        }

        expect(summary(firedMixed)).toEqual(summary(firedClean));
        const { accepted, firings, suppressed, stale, runs, evictions } = clean.engine.stats();
        expect(mixed.engine.stats()).toMatchObject({ accepted, firings, suppressed, stale, runs, evictions });
        expect(mixed.engine.stats().rejected).toBe(futures.length);
        expect(mixed.issues.filter((i) => i.code !== 'out_of_range')).toEqual(clean.issues);
      },
    ),
    { numRuns: runs },
  );
});
