import fc from 'fast-check';
import { expect, it, vi } from 'vitest';
import type { DefinitionChange } from '../../src/core/definition-change.js';
import { Partition } from '../../src/core/partition.js';
import {
  type ActionDefinition,
  type Automation,
  createEngine,
  DoNothing,
  isDefinitionError,
  isNotFoundError,
  OnRunMetric,
  RunEvent,
  SendEmail,
  SendWebhook,
  WebhookIntegration,
} from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';

const NUM_RUNS = Number(process.env['FC_RUNS'] ?? 200);
const NAMES = ['a', 'b', 'c', 'd'] as const;
const IDS = ['x', 'y', 'aut_1', 'aut_2'] as const;
const ENTITIES = ['acme', 'beta'] as const;

/** A good action, or one the engine must refuse: no such integration, or one that cannot deliver it. */
type Bad = 'none' | 'integration' | 'kind';
type Fields = { entity: string; cooldownMs: number; description?: string | undefined; bad: Bad };
type EntryId = { kind: 'none' } | { kind: 'fresh'; id: string } | { kind: 'existing'; pick: number };
type Entry = Fields & { name: string; id: EntryId; enabled?: boolean | undefined };
type Patch = {
  name?: string | undefined;
  description?: string | null | undefined;
  cooldownMs?: number | undefined;
  entity?: string | undefined;
  bad: Bad;
};
type Op =
  | ({ kind: 'save'; name?: string | undefined; id?: string | undefined } & Fields)
  | { kind: 'update'; pick: number; patch: Patch }
  | { kind: 'enable' | 'disable' | 'delete'; pick: number }
  | { kind: 'import'; mode: 'merge' | 'replace'; entries: Entry[] };

const bad = fc.constantFrom<Bad>('none', 'none', 'none', 'none', 'integration', 'kind');
const description = fc.option(fc.constantFrom('why', 'because'), { nil: undefined });
const fields = {
  entity: fc.constantFrom(...ENTITIES),
  cooldownMs: fc.constantFrom(0, 60_000),
  description,
  bad,
};
const entryId: fc.Arbitrary<EntryId> = fc.oneof(
  fc.constant({ kind: 'none' as const }),
  fc.record({ kind: fc.constant('fresh' as const), id: fc.constantFrom(...IDS) }),
  fc.record({ kind: fc.constant('existing' as const), pick: fc.nat(5) }),
);
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('save' as const),
      name: fc.option(fc.constantFrom(...NAMES), { nil: undefined, freq: 10 }),
      id: fc.option(fc.constantFrom(...IDS), { nil: undefined, freq: 2 }),
      ...fields,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('update' as const),
      pick: fc.nat(5),
      patch: fc.record(
        {
          name: fc.constantFrom(...NAMES),
          description: fc.constantFrom('new words', null),
          cooldownMs: fc.constantFrom(0, 5),
          entity: fc.constantFrom(...ENTITIES),
          bad,
        },
        { requiredKeys: ['bad'] },
      ),
    }),
  },
  fc.record({
    kind: fc.constantFrom('enable' as const, 'disable' as const, 'delete' as const),
    pick: fc.nat(5),
  }),
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('import' as const),
      mode: fc.constantFrom('merge' as const, 'replace' as const),
      entries: fc.array(
        fc.record({
          name: fc.constantFrom(...NAMES),
          id: entryId,
          enabled: fc.option(fc.boolean(), { nil: undefined }),
          ...fields,
        }),
        { maxLength: 4 },
      ),
    }),
  },
);

/** The model's automation: what the engine's saved automation must show. */
type M = {
  id: string;
  name: string;
  description?: string;
  enabled: boolean;
  entity: string;
  cooldownMs: number;
};

function view(a: Automation): M {
  return {
    id: a.id,
    name: a.name,
    ...(a.description !== undefined && { description: a.description }),
    enabled: a.enabled,
    entity: a.scope?.entity ?? '',
    cooldownMs: a.cooldownMs,
  };
}

const trigger = (entity: string) => OnRunMetric({ scope: entity, filter: RunEvent.metric('m').gt(0) });
function action(b: Bad): ActionDefinition {
  if (b === 'integration') return SendWebhook({ integration: 'nowhere' });
  if (b === 'kind') return SendEmail({ integration: 'hook', subject: 's', body: 'b' });
  return DoNothing();
}

/** The reference: the saved set in list order, the id counter, and how many changes were made. */
class Model {
  set = new Map<string, M>();
  nextId = 1;
  changes = 0;

  ids(): string[] {
    return [...this.set.keys()];
  }
  pick(n: number): string {
    return this.ids()[n % (this.set.size + 1)] ?? 'missing';
  }
  #generate(taken: (id: string) => boolean): string {
    let id: string;
    do id = `aut_${this.nextId++}`;
    while (this.set.has(id) || taken(id));
    return id;
  }
  #nameHeld(name: string, except?: string): boolean {
    return [...this.set.values()].some((m) => m.name === name && m.id !== except);
  }

  /** Valid steps are applied (true); invalid ones refused with no change (false). */
  apply(o: Op): boolean {
    if (o.kind === 'save') {
      if (o.name === undefined || o.bad !== 'none' || this.#nameHeld(o.name)) return false;
      if (o.id !== undefined && this.set.has(o.id)) return false;
      const id = o.id ?? this.#generate(() => false);
      const d = o.description;
      this.set.set(id, { id, name: o.name, ...(d !== undefined && { description: d }), ...on(o) });
      this.changes += 1;
      return true;
    }
    if (o.kind === 'import') return this.#import(o.entries, o.mode);
    const id = this.pick(o.pick);
    const current = this.set.get(id);
    if (o.kind === 'delete') {
      if (current !== undefined) this.changes += 1;
      this.set.delete(id);
      return true;
    }
    if (o.kind === 'enable' || o.kind === 'disable') {
      if (current === undefined) return false;
      const next = { ...current, enabled: o.kind === 'enable' };
      // A step that changes nothing is no change: no revision.
      if (!sameM(next, current)) this.changes += 1;
      this.set.set(id, next);
      return true;
    }
    if (o.kind === 'update') {
      const p = o.patch;
      if (current === undefined || p.bad !== 'none') return false;
      if (p.name !== undefined && this.#nameHeld(p.name, id)) return false;
      const { description: _, ...rest } = current;
      const d = p.description === null ? undefined : (p.description ?? current.description);
      const next = {
        ...rest,
        name: p.name ?? current.name,
        ...(d !== undefined && { description: d }),
        entity: p.entity ?? current.entity,
        cooldownMs: p.cooldownMs ?? current.cooldownMs,
      };
      if (!sameM(next, current)) this.changes += 1;
      this.set.set(id, next);
      return true;
    }
    return false;
  }

  #import(entries: readonly Entry[], mode: 'merge' | 'replace'): boolean {
    const idOf = (e: Entry) =>
      e.id.kind === 'none' ? undefined : e.id.kind === 'fresh' ? e.id.id : this.pick(e.id.pick);
    const fileIds = entries.flatMap((e) => idOf(e) ?? []);
    const names = entries.map((e) => e.name);
    if (new Set(fileIds).size < fileIds.length || new Set(names).size < names.length) return false;
    const targets = entries.map((e) => {
      const given = idOf(e);
      return given !== undefined
        ? this.set.get(given)
        : [...this.set.values()].find((m) => m.name === e.name);
    });
    const claimed = targets.flatMap((t) => t?.id ?? []);
    if (new Set(claimed).size < claimed.length) return false;
    const holders = entries.map((e) => [...this.set.values()].find((m) => m.name === e.name));
    if (mode === 'merge' && holders.some((h) => h !== undefined && !claimed.includes(h.id))) return false;
    if (entries.some((e) => e.bad !== 'none')) return false;
    const next = new Map(this.set);
    let changes = 0;
    if (mode === 'replace')
      for (const id of this.set.keys())
        if (!claimed.includes(id)) {
          next.delete(id);
          changes += 1;
        }
    const fresh = (e: Entry, id: string): M => ({
      id,
      name: e.name,
      ...(e.description !== undefined && { description: e.description }),
      enabled: e.enabled ?? true,
      entity: e.entity,
      cooldownMs: e.cooldownMs,
    });
    for (const [i, e] of entries.entries()) {
      const target = targets[i];
      if (target === undefined) continue;
      const after = fresh(e, target.id);
      if (!sameM(after, target)) changes += 1;
      next.set(target.id, after);
    }
    for (const [i, e] of entries.entries()) {
      if (targets[i] !== undefined) continue;
      const id = idOf(e) ?? this.#generate((x) => fileIds.includes(x));
      next.set(id, fresh(e, id));
      changes += 1;
    }
    this.set = next;
    this.changes += changes;
    return true;
  }
}

function sameM(a: M, b: M): boolean {
  const keys = ['id', 'name', 'description', 'enabled', 'entity', 'cooldownMs'] as const;
  return keys.every((k) => a[k] === b[k]);
}

function on(f: Fields): Pick<M, 'enabled' | 'entity' | 'cooldownMs'> {
  return { enabled: true, entity: f.entity, cooldownMs: f.cooldownMs };
}

/** Apply one step to the engine, as the model's step says, with the ids the model picks. */
function run(engine: ReturnType<typeof createEngine>, model: Model, o: Op): void {
  if (o.kind === 'save') {
    engine.save(trigger(o.entity).do(action(o.bad)), {
      ...(o.name !== undefined && { name: o.name }),
      ...(o.id !== undefined && { id: o.id }),
      ...(o.description !== undefined && { description: o.description }),
      cooldownMs: o.cooldownMs,
    });
  } else if (o.kind === 'update') {
    const p = o.patch;
    engine.update(model.pick(o.pick), {
      ...(p.name !== undefined && { name: p.name }),
      ...(p.description !== undefined && { description: p.description }),
      ...(p.cooldownMs !== undefined && { cooldownMs: p.cooldownMs }),
      ...(p.entity !== undefined && { event: trigger(p.entity) }),
      ...(p.bad !== 'none' && { action: action(p.bad) }),
    });
  } else if (o.kind === 'import') {
    const automations = o.entries.map((e) => ({
      name: e.name,
      ...(e.id.kind === 'fresh' && { id: e.id.id }),
      ...(e.id.kind === 'existing' && { id: model.pick(e.id.pick) }),
      ...(e.description !== undefined && { description: e.description }),
      ...(e.enabled !== undefined && { enabled: e.enabled }),
      cooldownMs: e.cooldownMs,
      event: trigger(e.entity),
      action: action(e.bad),
    }));
    engine.importAutomations(
      { format: 'ml-automations/automations', version: 1, automations },
      { mode: o.mode },
    );
  } else if (o.kind === 'delete') engine.delete(model.pick(o.pick));
  else engine[o.kind](model.pick(o.pick));
}

/** The saved set rebuilt from the change feed alone, starting empty. */
function replay(feed: readonly DefinitionChange[]): Automation[] {
  const set = new Map<string, Automation>();
  for (const c of feed) {
    if (c.after === undefined) set.delete(c.before?.id ?? '');
    else set.set(c.after.id, c.after);
  }
  return [...set.values()];
}

it('property: save/update/enable/disable/delete/import on the engine equal a model of the saved set; the change feed rebuilds it', () => {
  const tally = new Map<string, number>();
  fc.assert(
    fc.property(fc.array(op, { minLength: 5, maxLength: 30, size: 'max' }), (ops) => {
      // What the engine forwards to its core: the change feed, in order.
      const spy = vi.spyOn(Partition.prototype, 'applyDefinition');
      const changes = (): DefinitionChange[] => spy.mock.calls.map(([c]) => c);
      try {
        const engine = createEngine({
          clock: new VirtualClock(0),
          integrations: { hook: WebhookIntegration({ url: 'https://example.com/hook' }) },
        });
        const model = new Model();
        for (const o of ops) {
          const before = engine.list();
          const seen = changes().length;
          let refused: unknown;
          try {
            run(engine, model, o);
          } catch (error) {
            refused = error;
          }
          const valid = model.apply(o);
          const key = `${o.kind} ${valid ? 'applied' : 'refused'}`;
          tally.set(key, (tally.get(key) ?? 0) + 1);
          if (!valid) {
            expect(isDefinitionError(refused) || isNotFoundError(refused), String(refused)).toBe(true);
            expect(changes()).toHaveLength(seen);
            const after = engine.list();
            expect(after).toHaveLength(before.length);
            for (const [i, a] of after.entries()) expect(a).toBe(before[i]);
          } else expect(refused).toBeUndefined();
          expect(engine.list().map(view)).toEqual([...model.set.values()]);
          // One revision per change, in order, and the feed alone rebuilds the saved set.
          const feed = changes();
          expect(feed.map((c) => c.revision)).toEqual(feed.map((_, i) => i + 1));
          expect(feed).toHaveLength(model.changes);
          expect(engine.snapshot().definitions.revision).toBe(model.changes);
          expect(replay(feed)).toEqual(engine.list());
        }
      } finally {
        spy.mockRestore();
      }
    }),
    { numRuns: NUM_RUNS },
  );
  // Not vacuous: every kind of step was both applied and refused (delete is never refused: it answers false).
  for (const kind of ['save', 'update', 'enable', 'disable', 'import'])
    for (const verdict of ['applied', 'refused'])
      expect(tally.get(`${kind} ${verdict}`), `${kind} ${verdict}`).toBeGreaterThan(0);
  expect(tally.get('delete applied')).toBeGreaterThan(0);
});
