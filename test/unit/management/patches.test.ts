import { describe, expect, it } from 'vitest';
import {
  type AuthorizeTarget,
  createEngine,
  DoNothing,
  isDefinitionError,
  OnRunMetric,
  type Operation,
  RunEvent,
} from '../../../src/index.js';
import { VirtualClock } from '../../../src/testing/index.js';
import { row, T0 } from '../../helpers/fixture.js';

const sum2 = OnRunMetric({ scope: 'acme/vision', filter: RunEvent.metric('m').sum(2).eq(2) });
const full = {
  name: 'sum',
  cooldownMs: 0,
  description: 'why',
  retryPolicy: { maxDeliveryAttempts: 3 },
  rateLimit: { perSecond: 2 },
} as const;

function issuesOf(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    if (isDefinitionError(error)) return error.issues.map((i) => [i.code, i.path]);
    throw error;
  }
  throw new Error('expected a DefinitionError');
}

describe('update: null takes an optional field away', () => {
  it('description, retryPolicy and rateLimit are unset by null, kept when absent', () => {
    const clock = new VirtualClock(T0);
    const engine = createEngine({ clock });
    const saved = engine.save(sum2.do(DoNothing()), full);
    clock.advance(1000);
    const kept = engine.update(saved.id, { cooldownMs: 5 });
    expect(kept).toMatchObject({
      description: 'why',
      retryPolicy: { maxDeliveryAttempts: 3 },
      rateLimit: { perSecond: 2 },
    });
    const unset = engine.update(saved.id, { description: null, retryPolicy: null, rateLimit: null });
    expect(unset).toEqual({
      ...saved,
      cooldownMs: 5,
      description: undefined,
      retryPolicy: undefined,
      rateLimit: undefined,
      updatedAt: T0 + 1000,
    });
    expect(Object.keys(unset)).not.toContain('description');
    expect(Object.keys(unset)).not.toContain('retryPolicy');
    expect(Object.keys(unset)).not.toContain('rateLimit');
    expect(engine.get(saved.id)).toBe(unset);
    // Unsetting what is not there changes nothing but the time.
    expect(engine.update(saved.id, { description: null })).toEqual(unset);
  });

  it('keeps the windows: unsetting a field keeps the trigger', () => {
    const engine = createEngine({ clock: new VirtualClock(T0) });
    const saved = engine.save(sum2.do(DoNothing()), full);
    engine.ingest(row('r', { m: 1 }));
    engine.update(saved.id, { description: null, retryPolicy: null, rateLimit: null });
    expect(engine.ingest(row('r', { m: 1 })).map((f) => f.automationName)).toEqual(['sum']);
  });

  it('a required field cannot be unset: null is refused for name, enabled, cooldownMs, event and action', () => {
    const engine = createEngine({ clock: new VirtualClock(T0) });
    const saved = engine.save(sum2.do(DoNothing()), full);
    for (const field of ['name', 'enabled', 'cooldownMs', 'event', 'action']) {
      const patch = { [field]: null } as unknown as Parameters<typeof engine.update>[1];
      const [problem] = issuesOf(() => engine.update(saved.id, patch));
      expect(problem?.[1]?.[0]).toBe(field);
    }
    expect(engine.get(saved.id)).toBe(saved);
  });

  it('through as(principal), authorize sees what the update would make: the field gone', () => {
    const asked: [Operation, AuthorizeTarget][] = [];
    const engine = createEngine({
      clock: new VirtualClock(T0),
      authorize: (_p, operation, target) => {
        asked.push([operation, target]);
        return true;
      },
    });
    const saved = engine.save(sum2.do(DoNothing()), full);
    const after = engine.as('ana').update(saved.id, { description: null });
    expect(after).not.toHaveProperty('description');
    expect(asked.map(([op, t]) => [op, t.automation !== undefined, t.draft?.description])).toEqual([
      ['update', true, undefined],
      ['update', false, undefined],
    ]);
    expect(asked[0]?.[1].draft).not.toHaveProperty('description');
  });
});
