import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DefinitionChange } from '../../../src/core/definition-change.js';
import { Partition } from '../../../src/core/partition.js';
import {
  createEngine,
  DoNothing,
  OnRunMetric,
  RunEvent,
  SendEmail,
  SendWebhook,
  WebhookIntegration,
} from '../../../src/index.js';
import { sameTrigger } from '../../../src/management/same-trigger.js';
import { VirtualClock } from '../../../src/testing/index.js';
import { T0 } from '../../helpers/fixture.js';
import { olderSnapshot } from '../../helpers/older-snapshot.js';
import { recordingRegistry } from './helpers.js';

const onAcme = OnRunMetric({ scope: 'acme/vision', filter: RunEvent.metric('m').gt(0) });
const onOther = OnRunMetric({ scope: 'other', filter: RunEvent.metric('m').gt(0) });

/** What the engines of this test forward to their cores, in order. */
function forwarded() {
  const spy = vi.spyOn(Partition.prototype, 'applyDefinition');
  return (): DefinitionChange[] => spy.mock.calls.map(([c]) => c);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('validate: everything the schema cannot check, with no side effect', () => {
  it('returns the issues of a candidate and changes nothing: no change, no revision, no id used', () => {
    const { registry, feed } = recordingRegistry({ integrations: ['audit'] });
    const a = registry.save(onAcme.do(DoNothing()), { name: 'a', id: 'a' });
    const b = registry.save(onAcme.do(DoNothing()), { name: 'b' });
    const before = registry.list();
    const seen = feed.length;
    const revision = registry.definitions.revision;
    const candidate = {
      ...a,
      id: 'aut_1',
      name: 'b',
      event: OnRunMetric({ scope: 'acme', filter: RunEvent.metric('m').gt(0), runFilter: { runName: 'ok' } }),
      action: SendWebhook({ integration: 'nowhere' }),
    };
    expect(registry.validate(candidate).map((i) => [i.code, i.path])).toEqual([
      ['invalid_value', ['id']],
      ['duplicate_name', ['name']],
      ['unknown_integration', ['action', 'integration']],
    ]);
    // Replacing b itself: its own id and name are no clash.
    expect(registry.validate({ ...b, cooldownMs: 1 }, { replacing: b.id })).toEqual([]);
    expect(registry.validate({ ...a, id: 'fresh', name: 'fresh' })).toEqual([]);
    expect(feed).toHaveLength(seen);
    expect(registry.definitions.revision).toBe(revision);
    expect(registry.list()).toEqual(before);
    for (const [i, x] of registry.list().entries()) expect(x).toBe(before[i]);
    // The id counter did not move: the next generated id is the one that would have come.
    expect(registry.save(onAcme.do(DoNothing()), { name: 'c' }).id).toBe('aut_2');
  });

  it("an action its integration's kind cannot deliver is refused, naming the integration", () => {
    const engine = createEngine({
      clock: new VirtualClock(T0),
      integrations: { hook: WebhookIntegration({ url: 'https://example.com/hook' }), sink: { deliver() {} } },
    });
    const email = SendEmail({ integration: 'hook', subject: 's', body: 'b' });
    let caught: unknown;
    try {
      engine.save(onAcme.do(email), { name: 'x' });
    } catch (error) {
      caught = error;
    }
    expect((caught as { issues: unknown[] }).issues).toEqual([
      {
        code: 'invalid_value',
        path: ['action', 'integration'],
        message:
          '"hook" is a WebhookIntegration, which delivers SendNotification or SendWebhook actions, not SendEmail',
        value: 'hook',
      },
    ]);
    // A custom sink takes any action.
    expect(
      engine.save(onAcme.do(SendEmail({ integration: 'sink', subject: 's', body: 'b' })), { name: 'y' }).name,
    ).toBe('y');
  });
});

describe('revisions: every change is numbered, in order', () => {
  it('save, update, enable, disable, delete and each step of an import get the next revision', () => {
    const changes = forwarded();
    const engine = createEngine({ clock: new VirtualClock(T0) });
    const a = engine.save(onAcme.do(DoNothing()), { name: 'a' });
    engine.update(a.id, { cooldownMs: 0 });
    engine.disable(a.id);
    engine.enable(a.id);
    const b = engine.save(onAcme.do(DoNothing()), { name: 'b' });
    engine.delete(b.id);
    expect(engine.delete(b.id)).toBe(false); // nothing to delete: no change
    expect(() => engine.save(onAcme.do(DoNothing()), { name: 'a' })).toThrow(); // refused: no change
    engine.save(onAcme.do(DoNothing()), { name: 'c', id: 'c' });
    const file = {
      format: 'ml-automations/automations',
      version: 1,
      automations: [
        { id: a.id, name: 'a', cooldownMs: 0, ...onOther.do(DoNothing()) },
        { name: 'new', ...onAcme.do(DoNothing()) },
      ],
    };
    engine.importAutomations(file, { mode: 'replace' });
    const feed = changes();
    expect(feed.map((c) => c.revision)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const kinds = feed.map((c) => `${c.before?.name ?? '-'}→${c.after?.name ?? '-'} ${c.sameTrigger}`);
    expect(kinds).toEqual([
      '-→a false',
      'a→a true',
      'a→a true',
      'a→a true',
      '-→b false',
      'b→- false',
      '-→c false',
      // The import: deletes, then updates (a new trigger here), then creates.
      'c→- false',
      'a→a false',
      '-→new false',
    ]);
    expect(engine.snapshot().definitions.revision).toBe(10);
  });

  it('the revision survives snapshot and restore, and numbering goes on from it', async () => {
    const changes = forwarded();
    const clock = new VirtualClock(T0);
    const engine = createEngine({ clock });
    const a = engine.save(onAcme.do(DoNothing()), { name: 'a' });
    engine.update(a.id, { description: 'd' });
    engine.delete(engine.save(onAcme.do(DoNothing()), { name: 'b' }).id);
    const state = engine.snapshot();
    expect(state.definitions.revision).toBe(4);
    await engine.close();
    const seen = changes().length;
    const again = createEngine({ clock, state: JSON.parse(JSON.stringify(state)) });
    // Loading is no change: the core is told of each automation at the loaded revision.
    expect(
      changes()
        .slice(seen)
        .map((c) => [c.revision, c.after?.name, c.before]),
    ).toEqual([[4, 'a', undefined]]);
    expect(again.snapshot().definitions.revision).toBe(4);
    again.update(a.id, { description: null });
    expect(changes().at(-1)?.revision).toBe(5);
    expect(again.snapshot().definitions.revision).toBe(5);
  });

  it('a snapshot from before revisions loads at revision 0', () => {
    const engine = createEngine({ clock: new VirtualClock(T0) });
    engine.save(onAcme.do(DoNothing()), { name: 'a' });
    const older = olderSnapshot(engine.snapshot(), 2);
    const again = createEngine({ state: older as never });
    expect(again.snapshot().definitions.revision).toBe(0);
    expect(again.list().map((x) => x.name)).toEqual(['a']);
  });

  it('sameTrigger: true only for two versions of one automation with the same event, key order aside', () => {
    const { registry } = recordingRegistry();
    const a = registry.save(onAcme.do(DoNothing()), { name: 'a' });
    // The same event with its keys in another order.
    const reordered = JSON.parse(JSON.stringify(Object.fromEntries(Object.entries(a.event).reverse())));
    expect(sameTrigger(a, { ...a, name: 'b', cooldownMs: 1, enabled: false })).toBe(true);
    expect(sameTrigger(a, { ...a, event: reordered })).toBe(true);
    expect(sameTrigger(a, { ...a, event: onOther })).toBe(false);
    expect(sameTrigger(a, { ...a, id: 'other' })).toBe(false);
    expect(sameTrigger(a, undefined)).toBe(false);
    expect(sameTrigger(undefined, a)).toBe(false);
  });
});

describe('a step that changes nothing is no change', () => {
  it('enabling an enabled automation, or a patch equal to what is saved, takes no revision and keeps updatedAt', () => {
    const { registry, feed } = recordingRegistry({ integrations: ['audit'] });
    const a = registry.save(onAcme.do(DoNothing()), { name: 'a', description: 'd' });
    const revision = registry.definitions.revision;
    const seen = feed.length;
    expect(registry.enable(a.id)).toBe(a);
    expect(registry.update(a.id, { name: 'a', description: 'd', event: onAcme })).toBe(a);
    expect(registry.update(a.id, {})).toBe(a);
    expect([registry.definitions.revision, feed.length]).toEqual([revision, seen]);
    const renamed = registry.update(a.id, { name: 'b' });
    expect([renamed.name, registry.definitions.revision, feed.length]).toEqual(['b', revision + 1, seen + 1]);
  });
});

it('save options read null as absent, as a draft does', () => {
  const engine = createEngine({ clock: new VirtualClock(T0) });
  const saved = engine.save(onAcme.do(DoNothing()), {
    name: 'a',
    description: null,
    cooldownMs: null,
    enabled: null,
  } as never);
  expect(saved).toMatchObject({ name: 'a', enabled: true, cooldownMs: 24 * 3600e3 });
  expect(saved.description).toBeUndefined();
});
