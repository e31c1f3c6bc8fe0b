// Engine-level management: enable once Engine has exportAutomations, importAutomations, as(principal) and the
// `authorize` option, and src/index.ts exports the names imported below.
import { describe, expect, it } from 'vitest';
import {
  type Authorize,
  automationJsonSchema,
  createEngine,
  DoNothing,
  events,
  ForbiddenError,
  isDefinitionError,
  isEngineClosedError,
  isForbiddenError,
  OnRunMetric,
  RunEvent,
  SendWebhook,
} from '../../../src/index.js';
import { RecordingSink, VirtualClock } from '../../../src/testing/index.js';

const trigger = OnRunMetric({ scope: 'acme/vision', filter: RunEvent.metric('m').sum(2).eq(2) });
const elsewhere = OnRunMetric({ scope: 'other', filter: RunEvent.metric('m').lt(1) });

let n = 0;
const value = (m: number) =>
  events.runMetrics({ id: `e${++n}`, entity: 'acme', project: 'vision', runId: 'r1', metrics: { m } });

function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('engine.exportAutomations / importAutomations', () => {
  it('round trip into an empty engine: the same automations with the same ids, and they fire', () => {
    const a = createEngine({ clock: new VirtualClock(0), integrations: { audit: new RecordingSink() } });
    a.save(trigger.do(DoNothing()), { name: 'sum', cooldownMs: 0 });
    a.save(elsewhere.do(SendWebhook({ integration: 'audit' })), { name: 'low', id: 'mine', enabled: false });
    const text = JSON.stringify(a.exportAutomations());
    const b = createEngine({ clock: new VirtualClock(0), integrations: { audit: new RecordingSink() } });
    expect(b.importAutomations(text, { mode: 'merge' })).toEqual({
      created: ['aut_1', 'mine'],
      updated: [],
      deleted: [],
      unchanged: [],
    });
    expect(b.list()).toEqual(a.list());
    expect(b.snapshot().definitions.automations).toEqual(a.snapshot().definitions.automations);
    b.ingest(value(1));
    expect(b.ingest(value(1)).map((f) => f.automationName)).toEqual(['sum']);
  });

  it('merge keeps automations not in the file; replace deletes them', () => {
    const engine = createEngine({ clock: new VirtualClock(0) });
    engine.save(trigger.do(DoNothing()), { name: 'keep' });
    const file = {
      format: 'ml-automations/automations',
      version: 1,
      automations: [{ name: 'new', ...elsewhere.do(DoNothing()) }],
    };
    expect(engine.importAutomations(file, { mode: 'merge' }).created).toEqual(['aut_2']);
    expect(engine.list().map((x) => x.name)).toEqual(['keep', 'new']);
    expect(engine.importAutomations(file, { mode: 'replace' })).toEqual({
      created: [],
      updated: [],
      deleted: ['aut_1'],
      unchanged: ['aut_2'],
    });
    expect(engine.list().map((x) => x.name)).toEqual(['new']);
  });

  it('all or nothing: a file with one bad automation, or one naming an integration the engine lacks, changes nothing', () => {
    const engine = createEngine({ clock: new VirtualClock(0) });
    engine.save(trigger.do(DoNothing()), { name: 'a', cooldownMs: 0 });
    engine.ingest(value(1));
    const before = engine.list();
    const bad = {
      format: 'ml-automations/automations',
      version: 1,
      automations: [
        { name: 'a', id: 'aut_1', ...trigger.do(DoNothing()), cooldownMs: 5 },
        { name: 'b', ...trigger.do(SendWebhook({ integration: 'nowhere' })) },
      ],
    };
    const error = thrownBy(() => engine.importAutomations(bad, { mode: 'replace' }));
    expect(isDefinitionError(error) && error.issues.map((i) => [i.code, i.path])).toEqual([
      ['unknown_integration', ['automations', 1, 'action', 'integration']],
    ]);
    expect(engine.list()).toEqual(before);
    // Its window too: the value before the refused import still counts.
    expect(engine.ingest(value(1)).map((f) => f.automationName)).toEqual(['a']);
  });

  it('refuses after close', async () => {
    const engine = createEngine({ clock: new VirtualClock(0) });
    await engine.close();
    const file = { format: 'ml-automations/automations', version: 1, automations: [] };
    expect(isEngineClosedError(thrownBy(() => engine.importAutomations(file, { mode: 'merge' })))).toBe(true);
  });

  it('the JSON Schema is exported from the public entry', () => {
    const { $schema } = automationJsonSchema();
    expect($schema).toBe('https://json-schema.org/draft/2020-12/schema');
  });
});

describe('engine.as(principal) with createEngine({ authorize })', () => {
  type User = { team: string };
  const asked: unknown[][] = [];
  const authorize: Authorize = (principal, operation, target) => {
    asked.push([principal, operation, target.name]);
    return operation !== 'import' && target.scope?.entity === (principal as User).team;
  };

  it('asks authorize before each change; a refusal throws ForbiddenError and changes nothing', () => {
    const engine = createEngine({ clock: new VirtualClock(0), authorize });
    const ana = { team: 'acme' };
    const saved = engine.as(ana).save(trigger.do(DoNothing()), { name: 'mine' });
    expect(asked).toEqual([[ana, 'save', 'mine']]);
    const error = thrownBy(() => engine.as(ana).save(elsewhere.do(DoNothing()), { name: 'theirs' }));
    expect(error).toBeInstanceOf(ForbiddenError);
    expect(isForbiddenError(error) && [error.principal, error.operation, error.target]).toEqual([
      ana,
      'save',
      { name: 'theirs' },
    ]);
    expect(engine.as(ana).disable(saved.id).enabled).toBe(false);
    expect(engine.as(ana).enable(saved.id).enabled).toBe(true);
    expect(engine.as(ana).update(saved.id, { cooldownMs: 0 }).cooldownMs).toBe(0);
    expect(isForbiddenError(thrownBy(() => engine.as({ team: 'other' }).delete(saved.id)))).toBe(true);
    expect(isForbiddenError(thrownBy(() => engine.as(ana).importAutomations({}, { mode: 'merge' })))).toBe(
      true,
    );
    expect(engine.list().map((a) => a.name)).toEqual(['mine']);
    expect(engine.as(ana).delete(saved.id)).toBe(true);
  });

  it('fails closed: an authorize that throws refuses; without an authorize option, as() refuses everything', () => {
    const broken = createEngine({
      clock: new VirtualClock(0),
      authorize: () => {
        throw new Error('policy down');
      },
    });
    const error = thrownBy(() => broken.as('ana').save(trigger.do(DoNothing()), { name: 'x' }));
    expect(isForbiddenError(error) && (error.cause as Error).message).toBe('policy down');
    const open = createEngine({ clock: new VirtualClock(0) });
    expect(
      isForbiddenError(thrownBy(() => open.as('ana').save(trigger.do(DoNothing()), { name: 'x' }))),
    ).toBe(true);
    expect(broken.list()).toEqual([]);
    expect(open.list()).toEqual([]);
  });

  it("the engine's own methods are the trusted path: authorize is not asked", () => {
    const engine = createEngine({ clock: new VirtualClock(0), authorize: () => false });
    expect(engine.save(elsewhere.do(DoNothing()), { name: 'ops' }).name).toBe('ops');
  });

  it('authorize must be a function', () => {
    const error = thrownBy(() => createEngine({ authorize: 'yes' as unknown as Authorize }));
    expect(isDefinitionError(error) && error.issues.map((i) => i.path)).toEqual([['authorize']]);
  });
});
