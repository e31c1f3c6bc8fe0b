import { describe, expect, it } from 'vitest';
import {
  DoNothing,
  isDefinitionError,
  isNotFoundError,
  MetricThresholdFilter,
  OnRunMetric,
  parseAutomation,
  RunEvent,
  SendWebhook,
} from '../../src/index.js';
import { RecordingSink } from '../../src/testing/index.js';
import { DAY, fixture, row, T0, watch } from '../helpers/fixture.js';

const trigger = OnRunMetric({ scope: 'acme/vision', filter: RunEvent.metric('m').sum(2).eq(2) });

function definitionIssues(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    if (isDefinitionError(error)) return error.issues.map((i) => ({ code: i.code, path: i.path }));
    throw error;
  }
  throw new Error('expected a DefinitionError');
}

describe('automations (§7)', () => {
  it('save returns the saved automation with defaults: enabled, 24 h cooldown, times from the clock', () => {
    const { engine } = fixture();
    const saved = engine.save(trigger.do(DoNothing()), { name: 'sum', description: 'why' });
    expect(saved).toEqual({
      id: 'aut_1',
      name: 'sum',
      description: 'why',
      enabled: true,
      scope: { type: 'project', entity: 'acme', project: 'vision' },
      event: trigger,
      action: { type: 'DoNothing' },
      cooldownMs: DAY,
      createdAt: T0,
      updatedAt: T0,
    });
    expect(Object.isFrozen(saved)).toBe(true);
    expect(engine.get(saved.id)).toBe(saved);
  });

  it('names are required, unique and at most 255 characters; ids may be given and must be unique', () => {
    const { engine } = fixture();
    engine.save(trigger.do(DoNothing()), { name: 'a', id: 'mine' });
    expect(definitionIssues(() => engine.save(trigger.do(DoNothing())))).toEqual([
      { code: 'invalid_type', path: ['name'] },
    ]);
    expect(definitionIssues(() => engine.save(trigger.do(DoNothing()), { name: 'a' }))).toEqual([
      { code: 'duplicate_name', path: ['name'] },
    ]);
    expect(definitionIssues(() => engine.save(trigger.do(DoNothing()), { name: 'x'.repeat(256) }))).toEqual([
      { code: 'too_big', path: ['name'] },
    ]);
    expect(definitionIssues(() => engine.save(trigger.do(DoNothing()), { name: 'b', id: 'mine' }))).toEqual([
      { code: 'invalid_value', path: ['id'] },
    ]);
    expect(
      definitionIssues(() => engine.save(trigger.do(DoNothing()), { name: 'c', cooldownMs: -1 })),
    ).toEqual([{ code: 'too_small', path: ['cooldownMs'] }]);
    expect(engine.save(trigger.do(DoNothing()), { name: 'x'.repeat(255) }).name).toHaveLength(255);
    expect(definitionIssues(() => engine.update('mine', { name: 'x'.repeat(255) }))).toEqual([
      { code: 'duplicate_name', path: ['name'] },
    ]);
  });

  it('accepts parsed JSON definitions and refuses unknown integrations', () => {
    const { engine } = fixture({ integrations: { audit: new RecordingSink() } });
    const json = JSON.stringify({
      name: 'from-json',
      cooldownMs: 0,
      event: trigger,
      action: SendWebhook({ integration: 'audit' }),
    });
    expect(engine.save(parseAutomation(json)).name).toBe('from-json');
    expect(
      definitionIssues(() => engine.save(trigger.do(SendWebhook({ integration: 'nope' })), { name: 'n' })),
    ).toEqual([{ code: 'unknown_integration', path: ['action', 'integration'] }]);
  });

  it('disabled automations stay saved and never fire; enabling starts their windows afresh', () => {
    const { engine } = fixture();
    const a = watch(engine, RunEvent.metric('m').sum(2).eq(2));
    engine.ingest(row('r', { m: 1 }));
    expect(engine.disable(a.id).enabled).toBe(false);
    expect(engine.ingest(row('r', { m: 1 }))).toHaveLength(0);
    expect(engine.list({ enabled: false }).map((x) => x.id)).toEqual([a.id]);
    engine.enable(a.id);
    expect(engine.ingest(row('r', { m: 1 }))).toHaveLength(0); // one value since enabling
    expect(engine.ingest(row('r', { m: 1 }))).toHaveLength(1);
  });

  it('updating name, description, action or cooldown keeps the windows; changing the filter starts them afresh', () => {
    const { engine } = fixture({ integrations: { audit: new RecordingSink() } });
    const a = watch(engine, RunEvent.metric('m').sum(2).eq(2));
    engine.ingest(row('r', { m: 1 }));
    engine.update(a.id, {
      name: 'renamed',
      description: 'd',
      action: SendWebhook({ integration: 'audit' }),
      cooldownMs: 0,
    });
    const [firing] = engine.ingest(row('r', { m: 1 }));
    expect(firing).toMatchObject({ automationName: 'renamed', action: { type: 'SendWebhook' } });
    engine.update(a.id, {
      event: OnRunMetric({
        scope: 'acme/vision',
        filter: MetricThresholdFilter({ name: 'm', window: 2, agg: 'sum', cmp: '>=', threshold: 2 }),
      }),
    });
    expect(engine.ingest(row('r', { m: 1 }))).toHaveLength(0);
    expect(engine.ingest(row('r', { m: 1 }))).toHaveLength(1);
  });

  it('an update that repeats the same event keeps the windows', () => {
    const { engine } = fixture();
    const a = watch(engine, RunEvent.metric('m').sum(2).eq(2));
    engine.ingest(row('r', { m: 1 }));
    engine.update(a.id, {
      event: OnRunMetric({ scope: 'acme/vision', filter: RunEvent.metric('m').sum(2).eq(2) }),
    });
    expect(engine.ingest(row('r', { m: 1 }))).toHaveLength(1);
  });

  it('delete takes effect for the next event; unknown ids are NotFoundError (update) or false (delete)', () => {
    const { engine } = fixture();
    const a = watch(engine, RunEvent.metric('m').gt(0));
    expect(engine.delete(a.id)).toBe(true);
    expect(engine.delete(a.id)).toBe(false);
    expect(engine.ingest(row('r', { m: 1 }))).toHaveLength(0);
    expect(engine.get(a.id)).toBeUndefined();
    let caught: unknown;
    try {
      engine.enable(a.id);
    } catch (error) {
      caught = error;
    }
    expect(isNotFoundError(caught)).toBe(true);
  });

  it('list filters by name, scope (any form) and enabled', () => {
    const { engine } = fixture();
    const a = watch(engine, RunEvent.metric('m').gt(0), { name: 'a', scope: 'acme' });
    const b = watch(engine, RunEvent.metric('m').gt(0), { name: 'b', scope: 'acme/vision' });
    engine.disable(b.id);
    expect(engine.list().map((x) => x.name)).toEqual(['a', 'b']);
    expect(engine.list({ name: 'b' }).map((x) => x.id)).toEqual([b.id]);
    expect(engine.list({ scope: { entity: 'acme' } }).map((x) => x.id)).toEqual([a.id]);
    expect(engine.list({ scope: 'acme/vision', enabled: false }).map((x) => x.id)).toEqual([b.id]);
    expect(engine.list({ enabled: true }).map((x) => x.id)).toEqual([a.id]);
  });

  it('a snapshot restores the saved automations with their ids and times', async () => {
    const { engine, clock } = fixture();
    const a = watch(engine, RunEvent.metric('m').gt(0), { name: 'kept' });
    const state = engine.snapshot();
    await engine.close();
    clock.advance(DAY);
    const { createEngine } = await import('../../src/index.js');
    const again = createEngine({ clock, state });
    expect(again.get(a.id)).toEqual(a);
    expect(again.save(trigger.do(DoNothing()), { name: 'new' }).id).not.toBe(a.id);
    expect(again.ingest(row('r', { m: 1 }))).toHaveLength(1);
  });
});
