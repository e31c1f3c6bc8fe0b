import { describe, expect, it } from 'vitest';
import { DefinitionError } from '../../../src/errors/definition-error.js';
import { issue } from '../../../src/errors/issue.js';
import {
  type Automation,
  DoNothing,
  isDefinitionError,
  OnRunMetric,
  RunEvent,
  SendWebhook,
} from '../../../src/index.js';
import { AUTOMATION_EXPORT_FORMAT } from '../../../src/management/export-document.js';
import type { ImportOptions } from '../../../src/management/import-options.js';
import type { Management } from '../../../src/management/management.js';
import { row, T0 } from '../../helpers/fixture.js';
import {
  type CoreOptions,
  core,
  definitionIssues,
  pickyEngine,
  recordingRegistry,
  saveVariety,
} from './helpers.js';

/** Import into management, as the engine does. */
function importAutomations(registry: Management, json: unknown, options: ImportOptions) {
  return registry.importAutomations(json, options);
}

function exportAutomations(registry: Management) {
  return registry.exportAutomations();
}

const sum2 = OnRunMetric({ scope: 'acme/vision', filter: RunEvent.metric('m').sum(2).eq(2) });

/** A file as a user might write one: definitions with names, ids optional. */
function file(...automations: object[]) {
  return { format: AUTOMATION_EXPORT_FORMAT, version: 1, automations };
}

function entry(name: string, extra: object = {}) {
  return { name, event: sum2, action: DoNothing(), ...extra };
}

describe('exportAutomations', () => {
  it('gives every saved automation, ids, settings and times included, as plain JSON', () => {
    const { registry, clock } = core();
    const saved = saveVariety(registry, clock);
    const exported = exportAutomations(registry);
    expect(exported).toEqual({ format: 'ml-automations/automations', version: 1, automations: saved });
    expect(JSON.parse(JSON.stringify(exported))).toEqual(exported);
  });

  it('of an empty registry is an empty list', () => {
    expect(exportAutomations(core().registry).automations).toEqual([]);
  });
});

describe('importAutomations: round trip', () => {
  it('an export read into an empty registry gives the same automations, with the same ids and times', () => {
    const a = core();
    saveVariety(a.registry, a.clock);
    const text = JSON.stringify(exportAutomations(a.registry));
    const b = core();
    b.clock.advance(86_400_000);
    const result = importAutomations(b.registry, text, { mode: 'merge' });
    expect(b.registry.list()).toEqual(a.registry.list());
    expect(result).toEqual({
      created: a.registry.list().map((x) => x.id),
      updated: [],
      deleted: [],
      unchanged: [],
    });
    // Ids generated later do not collide with imported ones.
    expect(b.registry.save(sum2.do(DoNothing()), { name: 'new' }).id).toBe('aut_4');
  });

  it('importing the same file again changes nothing: every automation is unchanged, no change announced', () => {
    const { registry, clock, changes } = recordingRegistry();
    saveVariety(registry, clock);
    const before = registry.list();
    const seen = changes.length;
    clock.advance(5000);
    const result = importAutomations(registry, exportAutomations(registry), { mode: 'replace' });
    expect(result).toEqual({ created: [], updated: [], deleted: [], unchanged: before.map((a) => a.id) });
    expect(changes.length).toBe(seen);
    expect(registry.list()).toEqual(before);
    for (const [i, a] of registry.list().entries()) expect(a).toBe(before[i]);
  });
});

describe('importAutomations: merge and replace', () => {
  function seeded() {
    const c = recordingRegistry();
    const keep = c.registry.save(sum2.do(DoNothing()), { name: 'keep', id: 'keep' });
    const change = c.registry.save(sum2.do(DoNothing()), { name: 'change', id: 'change' });
    c.clock.advance(60_000);
    return { ...c, keep, change };
  }
  const incoming = () =>
    file(
      entry('changed', { id: 'change', cooldownMs: 0, description: 'renamed' }),
      entry('brand-new', { id: 'new-one', enabled: false }),
    );

  it('merge: same id updates (createdAt kept, updatedAt now), a new id is created, others are kept', () => {
    const { registry, keep, change } = seeded();
    const result = importAutomations(registry, incoming(), { mode: 'merge' });
    expect(result).toEqual({ created: ['new-one'], updated: ['change'], deleted: [], unchanged: [] });
    expect(registry.get('keep')).toBe(keep);
    expect(registry.get('change')).toMatchObject({
      name: 'changed',
      description: 'renamed',
      cooldownMs: 0,
      createdAt: change.createdAt,
      updatedAt: T0 + 60_000,
    });
    expect(registry.get('new-one')).toMatchObject({
      name: 'brand-new',
      enabled: false,
      createdAt: T0 + 60_000,
    });
    expect(registry.list().map((a) => a.id)).toEqual(['keep', 'change', 'new-one']);
  });

  it('replace: the same, and every automation not in the file is deleted', () => {
    const { registry } = seeded();
    const result = importAutomations(registry, incoming(), { mode: 'replace' });
    expect(result).toEqual({ created: ['new-one'], updated: ['change'], deleted: ['keep'], unchanged: [] });
    expect(registry.list().map((a) => a.id)).toEqual(['change', 'new-one']);
  });

  it('replace with an empty file deletes everything', () => {
    const { registry } = seeded();
    expect(importAutomations(registry, file(), { mode: 'replace' }).deleted).toEqual(['keep', 'change']);
    expect(registry.list()).toEqual([]);
  });

  it('an entry without an id stands for the automation of its name, or a new one', () => {
    const { registry } = seeded();
    const result = importAutomations(registry, file(entry('keep', { cooldownMs: 5 }), entry('fresh')), {
      mode: 'merge',
    });
    expect(result).toEqual({ created: ['aut_1'], updated: ['keep'], deleted: [], unchanged: [] });
    expect(registry.get('keep')?.cooldownMs).toBe(5);
  });

  it('the file is the whole definition: a description, retry policy or rate limit it leaves out is removed', () => {
    const { registry } = seeded();
    const full = registry.update('change', {
      description: 'd',
      retryPolicy: { maxDeliveryAttempts: 2 },
      rateLimit: { perSecond: 1 },
    });
    importAutomations(registry, file(entry('change', { id: 'change' })), { mode: 'merge' });
    const after = registry.get('change');
    expect(after).toEqual({ ...full, description: undefined, retryPolicy: undefined, rateLimit: undefined });
    expect(after).not.toHaveProperty('description');
    expect(after?.createdAt).toBe(full.createdAt);
  });

  it('names may move between automations in one file (a swap)', () => {
    const { registry } = seeded();
    importAutomations(registry, file(entry('change', { id: 'keep' }), entry('keep', { id: 'change' })), {
      mode: 'merge',
    });
    expect(registry.get('keep')?.name).toBe('change');
    expect(registry.get('change')?.name).toBe('keep');
    expect(registry.list().map((a) => a.name)).toEqual(['change', 'keep']);
  });

  it('a created automation with times is restored with them; without, it gets the clock', () => {
    const { registry } = seeded();
    importAutomations(
      registry,
      file(entry('old', { id: 'old', createdAt: 5, updatedAt: 6 }), entry('young', { id: 'young' })),
      { mode: 'merge' },
    );
    expect(registry.get('old')).toMatchObject({ createdAt: 5, updatedAt: 6 });
    expect(registry.get('young')).toMatchObject({ createdAt: T0 + 60_000, updatedAt: T0 + 60_000 });
  });
});

describe('importAutomations: windows', () => {
  const feed = (c: ReturnType<typeof core>, id: string) =>
    c.automator.process(row('r1', { m: 1 }, { id })).map((f) => f.automationName);

  it('an update that keeps the event keeps its windows; one that changes it starts them afresh', () => {
    const c = core();
    c.registry.save(sum2.do(DoNothing()), { name: 'same', id: 'same', cooldownMs: 0 });
    c.registry.save(sum2.do(DoNothing()), { name: 'other', id: 'other', cooldownMs: 0 });
    expect(feed(c, 'e1')).toEqual([]);
    const changed = OnRunMetric({ scope: 'acme', filter: RunEvent.metric('m').sum(2).eq(2) });
    importAutomations(
      c.registry,
      file(
        entry('same renamed', { id: 'same', cooldownMs: 0, description: 'new words' }),
        entry('other', { id: 'other', cooldownMs: 0, event: changed }),
      ),
      { mode: 'merge' },
    );
    expect(feed(c, 'e2')).toEqual(['same renamed']);
    // Oldest first, equal ages in the order they were saved (an update keeps its place).
    expect(feed(c, 'e3')).toEqual(['same renamed', 'other']);
  });

  it('a refused import leaves every window as it was', () => {
    const c = core();
    c.registry.save(sum2.do(DoNothing()), { name: 'same', id: 'same', cooldownMs: 0 });
    expect(feed(c, 'e1')).toEqual([]);
    const bad = SendWebhook({ integration: 'nowhere' });
    expect(() =>
      importAutomations(c.registry, file(entry('same', { id: 'same', action: bad })), { mode: 'merge' }),
    ).toThrow(/nowhere/);
    expect(feed(c, 'e2')).toEqual(['same']);
  });
});

describe('importAutomations: all or nothing', () => {
  function withThree(onChange?: CoreOptions['onChange']) {
    const c = recordingRegistry({ patternEngine: pickyEngine, ...(onChange !== undefined && { onChange }) });
    for (const name of ['a', 'b', 'c']) c.registry.save(sum2.do(DoNothing()), { name });
    return c;
  }
  function unchangedBy(registry: Management, fn: () => unknown) {
    const before = registry.list();
    const thrown = (() => {
      try {
        fn();
      } catch (error) {
        return error;
      }
      throw new Error('expected the import to throw');
    })();
    expect(registry.list()).toEqual(before);
    for (const [i, a] of registry.list().entries()) expect(a).toBe(before[i]);
    return thrown;
  }

  it('one bad automation refuses the whole file, naming it by its index; nothing changes', () => {
    const { registry } = withThree();
    const bad = file(
      entry('x1'),
      entry('x2'),
      entry('a', { cooldownMs: 1 }),
      entry('x4', {
        event: {
          type: 'OnRunMetric',
          scope: 'acme',
          filter: { ...RunEvent.metric('m').mean(2).gt(1), window: 0 },
        },
      }),
    );
    for (const mode of ['merge', 'replace'] as const) {
      const error = unchangedBy(registry, () => importAutomations(registry, bad, { mode }));
      expect(isDefinitionError(error) && error.issues.map((i) => [i.code, i.path])).toEqual([
        ['too_small', ['automations', 3, 'event', 'filter', 'window']],
      ]);
    }
  });

  it('every bad field of every automation is reported at once', () => {
    const bad = file(
      { name: '', event: sum2, action: DoNothing() },
      entry('ok'),
      entry('z', { cooldownMs: -1, action: { type: 'Nope' }, extra: 1 }),
    );
    expect(definitionIssues(() => importAutomations(withThree().registry, bad, { mode: 'merge' }))).toEqual([
      { code: 'too_small', path: ['automations', 0, 'name'] },
      { code: 'too_small', path: ['automations', 2, 'cooldownMs'] },
      { code: 'invalid_value', path: ['automations', 2, 'action', 'type'] },
      { code: 'unrecognized_keys', path: ['automations', 2] },
    ]);
  });

  it('refuses what is not an export: not JSON, another format, another version, createdAt without updatedAt', () => {
    const { registry } = withThree();
    expect(definitionIssues(() => importAutomations(registry, '{', { mode: 'merge' }))).toEqual([
      { code: 'invalid_format', path: [] },
    ]);
    expect(definitionIssues(() => importAutomations(registry, [entry('a')], { mode: 'merge' }))).toEqual([
      { code: 'invalid_type', path: [] },
    ]);
    expect(
      definitionIssues(() =>
        importAutomations(registry, { format: 'other', version: 2, automations: [] }, { mode: 'merge' }),
      ),
    ).toEqual([
      { code: 'invalid_value', path: ['format'] },
      { code: 'invalid_value', path: ['version'] },
    ]);
    expect(
      definitionIssues(() =>
        importAutomations(registry, file(entry('x', { createdAt: 1 })), { mode: 'merge' }),
      ),
    ).toEqual([{ code: 'invalid_type', path: ['automations', 0, 'updatedAt'] }]);
  });

  it('duplicate names and ids inside the file are refused, each at its later place', () => {
    const { registry } = withThree();
    const dupes = file(entry('n', { id: 'i1' }), entry('m', { id: 'i1' }), entry('n', { id: 'i3' }));
    for (const mode of ['merge', 'replace'] as const) {
      unchangedBy(registry, () => importAutomations(registry, dupes, { mode }));
      expect(definitionIssues(() => importAutomations(registry, dupes, { mode }))).toEqual([
        { code: 'invalid_value', path: ['automations', 1, 'id'] },
        { code: 'duplicate_name', path: ['automations', 2, 'name'] },
      ]);
    }
  });

  it('merge refuses a name held by an automation the file does not replace; replace deletes that one', () => {
    const { registry } = withThree();
    const clash = file(entry('b', { id: 'new-b' }));
    unchangedBy(registry, () => importAutomations(registry, clash, { mode: 'merge' }));
    expect(definitionIssues(() => importAutomations(registry, clash, { mode: 'merge' }))).toEqual([
      { code: 'duplicate_name', path: ['automations', 0, 'name'] },
    ]);
    expect(importAutomations(registry, clash, { mode: 'replace' })).toEqual({
      created: ['new-b'],
      updated: [],
      deleted: ['aut_1', 'aut_2', 'aut_3'],
      unchanged: [],
    });
  });

  it('two entries standing for one automation (by id and by name) are refused', () => {
    const { registry } = withThree();
    expect(
      definitionIssues(() =>
        importAutomations(registry, file(entry('renamed', { id: 'aut_1' }), entry('a')), { mode: 'merge' }),
      ),
    ).toEqual([{ code: 'invalid_value', path: ['automations', 1, 'name'] }]);
  });

  it("the engine's own checks (its pattern engine, its integrations) run before anything changes", () => {
    const { registry, changes } = withThree();
    const refused = OnRunMetric({
      scope: 'acme',
      filter: RunEvent.metric('m').lt(1),
      runFilter: { runName: 'refused' },
    });
    const bad = file(
      entry('a', { id: 'aut_1', cooldownMs: 7 }),
      entry('new', { event: refused }),
      entry('b', { id: 'aut_2', action: SendWebhook({ integration: 'nowhere' }) }),
    );
    const seen = changes.length;
    for (const mode of ['merge', 'replace'] as const) {
      unchangedBy(registry, () => importAutomations(registry, bad, { mode }));
      expect(definitionIssues(() => importAutomations(registry, bad, { mode }))).toEqual([
        { code: 'invalid_pattern', path: ['automations', 1, 'event', 'runFilter', 'runName'] },
        { code: 'unknown_integration', path: ['automations', 2, 'action', 'integration'] },
      ]);
    }
    // Nothing was saved to try the definitions (no change at all); the ids given next are as before.
    expect(changes.slice(seen).every(([b, a]) => (b ?? a)?.enabled === false)).toBe(true);
    expect(changes.length).toBe(seen);
    expect(registry.list().map((a) => a.name)).toEqual(['a', 'b', 'c']);
    expect(registry.save(sum2.do(DoNothing()), { name: 'd' }).id).toBe('aut_4');
  });

  it('a failure while applying puts back exactly the automations there were, in their order', () => {
    const failure = new Error('disk full');
    // A partition that fails on the write of 'boom': the changes before it are undone.
    const { registry } = withThree((change) => {
      if (change.after?.name === 'boom') throw failure;
    });
    registry.update('aut_2', { description: 'kept as is' });
    const before = registry.list();
    const changing = file(
      entry('b', { id: 'aut_2', cooldownMs: 3 }),
      entry('c2', { id: 'aut_3' }),
      entry('new'),
      entry('boom'),
    );
    for (const mode of ['merge', 'replace'] as const) {
      expect(() => importAutomations(registry, changing, { mode })).toThrow(failure);
      expect(registry.list()).toEqual(before);
      expect(registry.list().map((a) => a.id)).toEqual(['aut_1', 'aut_2', 'aut_3']);
    }
  });

  it('a DefinitionError while applying is reported at the automation being applied', () => {
    // As if a partition refused the change when it is written.
    const { registry } = withThree((change) => {
      if (change.after?.cooldownMs === 9)
        throw new DefinitionError([issue('too_small', ['cooldownMs'], 'refused', 9)], 'automation');
    });
    const before = registry.list();
    expect(
      definitionIssues(() =>
        importAutomations(registry, file(entry('a', { id: 'aut_1', cooldownMs: 9 })), { mode: 'merge' }),
      ),
    ).toEqual([{ code: 'too_small', path: ['automations', 0, 'cooldownMs'] }]);
    expect(registry.list()).toEqual(before);
  });

  it('if putting back fails too, both errors are thrown together', () => {
    let failed = false;
    const { registry } = withThree((change) => {
      if (failed) throw new Error('second');
      if (change.after?.name === 'boom') {
        failed = true;
        throw new Error('first');
      }
    });
    const thrown = (() => {
      try {
        importAutomations(registry, file(entry('a', { id: 'aut_1', cooldownMs: 1 }), entry('boom')), {
          mode: 'merge',
        });
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(thrown).toBeInstanceOf(AggregateError);
    expect((thrown as AggregateError).errors.map((e: Error) => e.message)).toEqual(['first', 'second']);
  });
});

describe('importAutomations: check', () => {
  it('is asked for every change before any is made; a throw refuses the whole import', () => {
    const { registry } = recordingRegistry();
    registry.save(sum2.do(DoNothing()), { name: 'old', id: 'old' });
    registry.save(sum2.do(DoNothing()), { name: 'same', id: 'same', cooldownMs: 0 });
    const asked: [string, string | undefined, string | undefined][] = [];
    const result = importAutomations(
      registry,
      file(
        entry('new', { id: 'new' }),
        entry('same', { id: 'same', cooldownMs: 0 }),
        entry('x', { id: 'old' }),
      ),
      { mode: 'replace', check: (op, target) => asked.push([op, target.id, target.name]) },
    );
    expect(result).toEqual({ created: ['new'], updated: ['old'], deleted: [], unchanged: ['same'] });
    expect(asked).toEqual([
      ['save', 'new', 'new'],
      ['update', 'old', 'old'],
    ]);

    const before: readonly Automation[] = registry.list();
    expect(() =>
      importAutomations(registry, file(entry('y', { id: 'old' })), {
        mode: 'replace',
        check: (op) => {
          if (op === 'delete') throw new Error('no deleting');
        },
      }),
    ).toThrow('no deleting');
    expect(registry.list()).toEqual(before);
  });
});
