import { describe, expect, it } from 'vitest';
import { createEngine, DoNothing, type Engine, OnRunMetric, RunEvent } from '../../../src/index.js';
import { VirtualClock } from '../../../src/testing/index.js';
import { row, T0 } from '../../helpers/fixture.js';

const sum3 = OnRunMetric({ scope: 'acme/vision', filter: RunEvent.metric('m').sum(3).eq(3) });

/** An engine with one automation whose window needs three values, with every optional field set. */
function withFullAutomation(): Engine {
  const engine = createEngine({ clock: new VirtualClock(T0) });
  engine.save(sum3.do(DoNothing()), {
    name: 'sum',
    id: 'sum',
    cooldownMs: 0,
    description: 'three ones in a row',
    retryPolicy: { maxDeliveryAttempts: 3 },
    rateLimit: { perSecond: 5 },
  });
  return engine;
}

const values = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => row('r1', { m: 1 }, { id: `e${from + i}`, time: T0 + from + i }));

describe('an import that only drops optional fields keeps the windows', () => {
  it('fires exactly as an engine that never imported', () => {
    const imported = withFullAutomation();
    const untouched = withFullAutomation();
    const before = [...imported.ingestBatch(values(0, 2)), ...untouched.ingestBatch(values(0, 2))];
    expect(before).toEqual([]);
    // The file leaves out description, retry policy and rate limit: the import takes them away.
    const [saved] = imported.exportAutomations().automations;
    const { description: _d, retryPolicy: _r, rateLimit: _l, ...rest } = saved ?? {};
    const file = { format: 'ml-automations/automations', version: 1, automations: [rest] };
    expect(imported.importAutomations(file, { mode: 'merge' })).toMatchObject({ updated: ['sum'] });
    expect(imported.get('sum')).not.toHaveProperty('description');
    expect(imported.get('sum')).not.toHaveProperty('retryPolicy');
    expect(imported.get('sum')).not.toHaveProperty('rateLimit');
    // Two values were in the window before the import: the third fires in both engines, and so on.
    const after = values(2, 5);
    const firings = imported.ingestBatch(after);
    expect(firings.map((f) => f.id)).toEqual(untouched.ingestBatch(after).map((f) => f.id));
    expect(firings.map((f) => f.event.id)).toEqual(['e2', 'e3', 'e4', 'e5', 'e6']);
  });

  it('in replace mode too, and with the name changed', () => {
    const imported = withFullAutomation();
    const untouched = withFullAutomation();
    imported.ingestBatch(values(0, 2));
    untouched.ingestBatch(values(0, 2));
    const file = {
      format: 'ml-automations/automations',
      version: 1,
      automations: [{ id: 'sum', name: 'renamed', cooldownMs: 0, ...sum3.do(DoNothing()) }],
    };
    imported.importAutomations(file, { mode: 'replace' });
    const after = values(2, 3);
    expect(imported.ingestBatch(after).map((f) => f.id)).toEqual(
      untouched.ingestBatch(after).map((f) => f.id),
    );
  });
});
