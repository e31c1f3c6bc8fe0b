import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import {
  createEngine,
  DoNothing,
  type EngineState,
  events,
  isDefinitionError,
  OnEvent,
  OnRunMetric,
  RunEvent,
} from '../../src/index.js';
import { checksumOf, NotJsonError } from '../../src/state/state-checksum.js';
import { VirtualClock } from '../../src/testing/index.js';

const NUM_RUNS = Number(process.env['FC_RUNS'] ?? 200);
const T0 = Date.parse('2026-01-01T00:00:00Z');

/** An engine with windows, cooldowns, seen ids and counters to edit. */
function taken(): { clock: VirtualClock; text: string } {
  const clock = new VirtualClock(T0);
  const engine = createEngine({ clock });
  engine.save(OnRunMetric({ scope: 'acme', filter: RunEvent.metric('m').mean(3).gt(0.5) }).do(DoNothing()), {
    name: 'mean',
  });
  engine.save(OnRunMetric({ scope: 'acme/p', filter: RunEvent.metric('m').sum(2).lt(9) }).do(DoNothing()), {
    name: 'sum',
    cooldownMs: 0,
  });
  for (let i = 0; i < 6; i++)
    engine.ingest(
      events.runMetrics({ id: `e${i}`, entity: 'acme', project: 'p', runId: `r${i % 2}`, metrics: { m: i } }),
    );
  return { clock, text: JSON.stringify(engine.snapshot()) };
}

/** Every leaf of a JSON value, with its path. */
function leaves(value: unknown, path: (string | number)[] = []): [(string | number)[], unknown][] {
  if (typeof value !== 'object' || value === null) return [[path, value]];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return entries.flatMap(([k, v]) => leaves(v, [...path, k]));
}

function edit(state: unknown, path: readonly (string | number)[], to: unknown): unknown {
  const copy = structuredClone(state) as Record<string | number, unknown>;
  let at = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  at[path.at(-1) as string | number] = to;
  return copy;
}

it('property: any edit of any value but the checksum is refused as checksum_mismatch; no edit restores', () => {
  const { clock, text } = taken();
  const state = JSON.parse(text) as EngineState;
  const spots = leaves(state).filter(([path]) => path[0] !== 'checksum' && path[0] !== 'version');
  expect(spots.length).toBeGreaterThan(50);
  const other = fc.oneof(
    fc.integer(),
    fc.double({ noNaN: true }),
    fc.string(),
    fc.boolean(),
    fc.constant(null),
  );
  fc.assert(
    fc.property(fc.nat({ max: spots.length - 1 }), other, (i, to) => {
      const [path, was] = spots[i] as [(string | number)[], unknown];
      fc.pre(JSON.stringify(to) !== JSON.stringify(was));
      try {
        createEngine({ clock, state: edit(state, path, to) as EngineState });
        expect.unreachable(`an edit at ${path.join('.')} was accepted`);
      } catch (error) {
        expect(isDefinitionError(error) && error.issues.map((x) => x.code)).toEqual(['checksum_mismatch']);
      }
    }),
    { numRuns: NUM_RUNS },
  );
  expect(() => createEngine({ clock, state })).not.toThrow();
});

it('property: automations saved at one instant fire in the order they were saved, before and after a restore', () => {
  const every = OnEvent({ includedEventTypes: ['run.metrics'] }).do(DoNothing());
  fc.assert(
    fc.property(
      fc.uniqueArray(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 15 }),
      (numbers) => {
        const clock = new VirtualClock(T0);
        const engine = createEngine({ clock });
        const ids = numbers.map((k) => `saved-${k}`);
        for (const id of ids) engine.save(every, { id, name: id });
        const fire = (e: typeof engine, id: string) =>
          e
            .ingest(events.runMetrics({ id, entity: 'a', project: 'p', runId: 'r', metrics: { m: 1 } }))
            .map((f) => f.automationId);
        expect(fire(engine, 'e1')).toEqual(ids);
        const again = createEngine({ clock, state: JSON.parse(JSON.stringify(engine.snapshot())) });
        expect(fire(again, 'e2')).toEqual(ids);
      },
    ),
    { numRuns: NUM_RUNS },
  );
});

/** The obviously-correct canonical JSON: keys sorted at every level, nothing clever. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (typeof v === 'object' && v !== null) {
    const entries = Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(v);
}

/** The same value with every object's keys in another order. */
function reordered(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reordered);
  if (typeof v !== 'object' || v === null) return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).reverse())
    Object.defineProperty(out, k, { value: reordered((v as Record<string, unknown>)[k]), enumerable: true });
  return out;
}

it('property: the checksum is SHA-256 of canonical JSON, whatever the key order', () => {
  fc.assert(
    fc.property(fc.jsonValue(), (value) => {
      const expected = `sha256:${createHash('sha256').update(canonical(value)).digest('hex')}`;
      expect(checksumOf(value)).toBe(expected);
      expect(checksumOf(reordered(value))).toBe(expected);
      expect(checksumOf(JSON.parse(JSON.stringify(value, null, 2)))).toBe(expected);
    }),
    { numRuns: NUM_RUNS },
  );
  const cycle: Record<string, unknown> = { a: 1 };
  cycle['self'] = cycle;
  for (const bad of [cycle, { n: 1n }]) expect(() => checksumOf(bad)).toThrow(NotJsonError);
});
