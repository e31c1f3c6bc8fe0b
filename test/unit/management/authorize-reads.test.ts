import { describe, expect, it } from 'vitest';
import {
  type Authorize,
  type AuthorizeTarget,
  createEngine,
  DoNothing,
  events,
  isForbiddenError,
  type NewAutomation,
  OnRunMetric,
  type Operation,
  RunEvent,
  SendWebhook,
} from '../../../src/index.js';
import { RecordingSink, VirtualClock } from '../../../src/testing/index.js';

type User = { readonly team: string };

/** The README's policy: a team acts on its own entity's automations. It looks at `target.scope` only. */
const byTeam: Authorize = (principal, _operation, target) =>
  target.scope?.entity === (principal as User).team;

const acme = { team: 'acme' };
const other = { team: 'other' };
const onAcme = OnRunMetric({ scope: 'acme/vision', filter: RunEvent.metric('m').gt(0) });
const onOther = OnRunMetric({ scope: 'other/secret', filter: RunEvent.metric('m').gt(0) });
const inAcme = onAcme.do(DoNothing());
const inOther = onOther.do(DoNothing());

function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

function setup(authorize: Authorize = byTeam) {
  const calls: [Operation, AuthorizeTarget][] = [];
  const engine = createEngine({
    clock: new VirtualClock(0),
    integrations: { audit: new RecordingSink() },
    authorize: (p, op, t) => {
      calls.push([op, t]);
      return authorize(p, op, t);
    },
  });
  return { engine, calls };
}

let n = 0;
const row = (entity: string, project: string) =>
  events.runMetrics({ id: `e${++n}`, entity, project, runId: 'r1', metrics: { m: 1 } });

describe('update is authorised on what the automation is and on what it would become', () => {
  it('a team cannot move its automation into another team scope (where it would fire on their data)', () => {
    const { engine } = setup();
    const mine = engine.as(acme).save(inAcme, { name: 'mine' });
    const error = thrownBy(() => engine.as(acme).update(mine.id, { event: inOther.event }));
    expect(isForbiddenError(error) && [error.operation, error.target]).toEqual([
      'update',
      { id: mine.id, name: 'mine' },
    ]);
    expect(engine.get(mine.id)?.event).toEqual(inAcme.event);
    expect(engine.ingest(row('other', 'secret'))).toEqual([]);
  });

  it('authorize is asked twice: the automation as it is, then as it would be', () => {
    const { engine, calls } = setup();
    const mine = engine.as(acme).save(inAcme, { name: 'mine' });
    calls.length = 0;
    engine.as(acme).update(mine.id, { name: 'renamed', cooldownMs: 5 });
    const scope = { type: 'project', entity: 'acme', project: 'vision' };
    expect(calls.map(([op, t]) => [op, t.id, t.name, t.scope, t.automation?.name, t.draft?.name])).toEqual([
      ['update', mine.id, 'mine', scope, 'mine', 'renamed'],
      ['update', mine.id, 'renamed', scope, undefined, 'renamed'],
    ]);
  });

  it('a patch is data: a getter cannot show authorize one scope and save another, it is refused unread', () => {
    const { engine } = setup();
    const mine = engine.as(acme).save(inAcme, { name: 'mine' });
    let reads = 0;
    const patch = {
      get event() {
        reads += 1;
        return reads === 1 ? inAcme.event : inOther.event;
      },
    };
    expect(() => engine.as(acme).update(mine.id, patch)).toThrow(
      expect.objectContaining({ name: 'DefinitionError' }),
    );
    expect(reads).toBe(0);
    expect(engine.get(mine.id)?.event).toEqual(inAcme.event);
  });

  it('save options and drafts are data: a getter cannot pass authorize with one name and save another', () => {
    const seen: string[] = [];
    const { engine } = setup((p, op, t) => {
      if (t.name !== undefined) seen.push(t.name);
      return byTeam(p, op, t);
    });
    let reads = 0;
    const options = {
      get name() {
        reads += 1;
        return reads === 1 ? 'approved' : 'smuggled';
      },
    };
    expect(() => engine.as(acme).save(inAcme, options)).toThrow(
      expect.objectContaining({ name: 'DefinitionError' }),
    );
    const draft: NewAutomation = { ...inAcme, name: 'x' };
    let draftReads = 0;
    Object.defineProperty(draft, 'event', {
      enumerable: true,
      get: () => (++draftReads === 1 ? inAcme.event : inOther.event),
    });
    expect(() => engine.as(acme).save(draft)).toThrow(expect.objectContaining({ name: 'DefinitionError' }));
    expect([reads, draftReads, seen, engine.list()]).toEqual([0, 0, [], []]);
  });

  it('an import that would move an automation into another scope is refused whole', () => {
    const { engine } = setup((p, op, t) => op === 'import' || byTeam(p, op, t));
    const mine = engine.as(acme).save(inAcme, { name: 'mine' });
    const file = {
      format: 'ml-automations/automations',
      version: 1,
      automations: [{ id: mine.id, name: 'mine', ...inOther }],
    };
    const error = thrownBy(() => engine.as(acme).importAutomations(file, { mode: 'merge' }));
    expect(isForbiddenError(error) && error.operation).toBe('update');
    expect(engine.get(mine.id)?.event).toEqual(inAcme.event);
  });
});

describe('reads through as(principal) ask `read`', () => {
  function twoTeams() {
    const s = setup();
    const mine = s.engine.save(onAcme.do(SendWebhook({ integration: 'audit' })), {
      name: 'mine',
      cooldownMs: 0,
    });
    const theirs = s.engine.save(onOther.do(SendWebhook({ integration: 'audit' })), {
      name: 'theirs',
      cooldownMs: 0,
    });
    return { ...s, mine, theirs };
  }

  it('get: the automation when allowed; ForbiddenError when not, whether or not the id exists', () => {
    const { engine, mine, theirs, calls } = twoTeams();
    expect(engine.as(acme).get(mine.id)).toBe(engine.get(mine.id));
    expect(calls.at(-1)?.[0]).toBe('read');
    for (const id of [theirs.id, 'no-such-id']) {
      const error = thrownBy(() => engine.as(acme).get(id));
      expect(isForbiddenError(error) && error.operation).toBe('read');
    }
    const admin = setup(() => true).engine;
    expect(admin.as(acme).get('no-such-id')).toBeUndefined();
  });

  it('list and exportAutomations hold only what the principal may read', () => {
    const { engine, mine, theirs } = twoTeams();
    expect(
      engine
        .as(acme)
        .list()
        .map((a) => a.id),
    ).toEqual([mine.id]);
    expect(
      engine
        .as(other)
        .list({ enabled: true })
        .map((a) => a.id),
    ).toEqual([theirs.id]);
    expect(engine.as({ team: 'nobody' }).list()).toEqual([]);
    const exported = engine.as(acme).exportAutomations();
    expect(exported).toEqual({ ...engine.exportAutomations(), automations: [engine.get(mine.id)] });
  });

  it('history holds only records of automations the principal may read; limit counts those', async () => {
    const { engine, mine } = twoTeams();
    engine.ingest(row('acme', 'vision'));
    engine.ingest(row('other', 'secret'));
    engine.ingest(row('acme', 'vision'));
    await engine.idle();
    expect(engine.history()).toHaveLength(3);
    const records = engine.as(acme).history();
    expect(records.map((r) => r.automationId)).toEqual([mine.id, mine.id]);
    expect(engine.as(acme).history({ limit: 1 })).toEqual([records[0]]);
    expect(engine.as({ team: 'nobody' }).history()).toEqual([]);
  });

  it('a broken authorize refuses the whole read (fail closed), it does not shorten the list', () => {
    const { engine } = setup(() => {
      throw new Error('policy service down');
    });
    engine.save(inAcme, { name: 'a' });
    engine.ingest(row('acme', 'vision'));
    for (const read of [
      () => engine.as(acme).list(),
      () => engine.as(acme).exportAutomations(),
      () => engine.as(acme).history(),
    ]) {
      const error = thrownBy(read);
      expect(isForbiddenError(error) && [error.operation, error.reason]).toEqual(['read', 'threw']);
    }
  });
});
