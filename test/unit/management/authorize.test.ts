import { describe, expect, it } from 'vitest';
import { ForbiddenError, isForbiddenError } from '../../../src/errors/forbidden-error.js';
import {
  type Automation,
  DoNothing,
  isNotFoundError,
  OnRunMetric,
  RunEvent,
  type Scope,
} from '../../../src/index.js';
import {
  type Authorize,
  type AuthorizeTarget,
  checkAuthorized,
  draftTarget,
  type Operation,
  savedTarget,
  updateTarget,
} from '../../../src/management/authorize.js';
import {
  AuthorizedAutomations,
  type ManagedAutomations,
} from '../../../src/management/authorized-automations.js';
import { AUTOMATION_EXPORT_FORMAT } from '../../../src/management/export-document.js';
import type { Management } from '../../../src/management/management.js';
import { recordingRegistry } from './helpers.js';

/** Management's methods as the engine gives them to engine.as() (no deliveries here, so no history). */
function managedBy(registry: Management): ManagedAutomations {
  return {
    save: (draft, options) => registry.save(draft, options),
    update: (id, patch) => registry.update(id, patch),
    delete: (id) => registry.delete(id),
    get: (id) => registry.get(id),
    list: (filter) => registry.list(filter),
    exportAutomations: () => registry.exportAutomations(),
    importAutomations: (json, options) => registry.importAutomations(json, options),
    history: () => [],
  };
}

const inAcme = OnRunMetric({ scope: 'acme/vision', filter: RunEvent.metric('m').lt(1) }).do(DoNothing());
const inOther = OnRunMetric({ scope: 'other', filter: RunEvent.metric('m').lt(1) }).do(DoNothing());

function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('ForbiddenError', () => {
  it('carries the principal as given, the operation and the target id and name; the message names no principal', () => {
    const principal = { user: 'ana', token: 's3cret' };
    const error = new ForbiddenError(principal, 'delete', { id: 'aut_1', name: 'loss-alert' });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ForbiddenError');
    expect(error.principal).toBe(principal);
    expect(error.operation).toBe('delete');
    expect(error.target).toEqual({ id: 'aut_1', name: 'loss-alert' });
    expect(error.reason).toBe('denied');
    expect(error.message).toBe('Forbidden: delete of automation "loss-alert" (id "aut_1")');
    expect(error.message).not.toMatch(/s3cret|ana/);
  });

  it('keeps only the id and name of a target, never its definition', () => {
    const target = {
      id: 'a',
      name: 'n',
      automation: { action: { secret: 'x' } },
    } as unknown as AuthorizeTarget;
    const error = new ForbiddenError(undefined, 'update', target);
    expect(error.target).toEqual({ id: 'a', name: 'n' });
    expect(Object.isFrozen(error.target)).toBe(true);
    expect(new ForbiddenError(undefined, 'import', {}).message).toBe('Forbidden: import');
    expect(new ForbiddenError(undefined, 'enable', { id: 'x' }).message).toBe(
      'Forbidden: enable of automation id "x"',
    );
  });

  it('isForbiddenError: instances, and errors named ForbiddenError from another copy of the library', () => {
    expect(isForbiddenError(new ForbiddenError(1, 'save', {}))).toBe(true);
    const foreign = Object.assign(new Error('x'), { name: 'ForbiddenError' });
    expect(isForbiddenError(foreign)).toBe(true);
    expect(isForbiddenError(new Error('x'))).toBe(false);
    expect(isForbiddenError({ name: 'ForbiddenError' })).toBe(false);
    expect(isForbiddenError(undefined)).toBe(false);
  });
});

describe('checkAuthorized: fail closed', () => {
  const target: AuthorizeTarget = { id: 'aut_1', name: 'n' };

  it('passes the principal, operation and target; only `true` allows', () => {
    const seen: unknown[] = [];
    const principal = { user: 'ana' };
    checkAuthorized(
      (p, op, t) => {
        seen.push(p, op, t);
        return true;
      },
      principal,
      'save',
      target,
    );
    expect(seen).toEqual([principal, 'save', target]);
    expect(seen[0]).toBe(principal);
  });

  it('false refuses', () => {
    const error = thrownBy(() => checkAuthorized(() => false, 'p', 'update', target));
    expect(isForbiddenError(error) && [error.reason, error.operation, error.target]).toEqual([
      'denied',
      'update',
      { id: 'aut_1', name: 'n' },
    ]);
  });

  it('a throw refuses, keeping what was thrown as the cause', () => {
    const cause = new Error('policy service down');
    const error = thrownBy(() =>
      checkAuthorized(
        () => {
          throw cause;
        },
        'p',
        'delete',
        target,
      ),
    );
    expect(isForbiddenError(error) && [error.reason, error.cause]).toEqual(['threw', cause]);
    expect((error as Error).message).not.toContain('policy service down');
  });

  it('any answer but a boolean refuses: a promise, a truthy value, nothing', () => {
    const answers: unknown[] = [Promise.resolve(true), 1, 'yes', undefined, null, {}];
    for (const answer of answers) {
      const error = thrownBy(() =>
        checkAuthorized((() => answer) as unknown as Authorize, 'p', 'save', target),
      );
      expect(isForbiddenError(error) && error.reason).toBe('invalid_result');
    }
  });
});

describe('targets', () => {
  it('savedTarget, draftTarget and updateTarget say what an operation acts on', () => {
    const { registry } = recordingRegistry();
    const saved = registry.save(inAcme, { name: 'a', description: 'd' });
    const scope: Scope = { type: 'project', entity: 'acme', project: 'vision' };
    expect(savedTarget(saved)).toEqual({ id: saved.id, name: 'a', scope, automation: saved });
    expect(draftTarget(inOther, { name: 'x', id: 'mine' })).toEqual({
      id: 'mine',
      name: 'x',
      scope: { type: 'entity', entity: 'other' },
      draft: inOther,
    });
    const t = updateTarget(saved, { event: inOther.event, cooldownMs: 5 });
    expect(t).toMatchObject({ id: saved.id, name: 'a', scope, automation: saved });
    expect(t.draft).toEqual({
      event: inOther.event,
      action: saved.action,
      name: 'a',
      description: 'd',
      enabled: true,
      cooldownMs: 5,
    });
  });
});

describe('AuthorizedAutomations (engine.as)', () => {
  type User = { team: string; admin?: boolean };
  const calls: [Operation, AuthorizeTarget][] = [];
  // A team acts on its own entity's automations only, before and after a change; admins may import and delete.
  const authorize: Authorize = (principal, operation, target) => {
    calls.push([operation, target]);
    const user = principal as User;
    if (user.admin === true) return true;
    if (operation === 'import') return false;
    const scopes = [target.scope, target.draft?.event.scope];
    return target.scope !== undefined && scopes.every((s) => s === undefined || s.entity === user.team);
  };

  function setup() {
    calls.length = 0;
    const { registry } = recordingRegistry();
    const managed = managedBy(registry);
    const acme = new AuthorizedAutomations(managed, authorize, { team: 'acme' });
    const admin = new AuthorizedAutomations(managed, authorize, { team: 'ops', admin: true });
    return { registry, acme, admin };
  }

  it('save: authorize sees the parsed draft, its normalised scope and name; a refusal saves nothing', () => {
    const { registry, acme } = setup();
    const saved = acme.save(inAcme, { name: 'mine' });
    expect(calls).toEqual([
      [
        'save',
        {
          name: 'mine',
          scope: { type: 'project', entity: 'acme', project: 'vision' },
          draft: inAcme,
        },
      ],
    ]);
    const error = thrownBy(() => acme.save(inOther, { name: 'theirs' }));
    expect(isForbiddenError(error) && [error.operation, error.target]).toEqual(['save', { name: 'theirs' }]);
    expect(registry.list()).toEqual([saved]);
  });

  it('update: refused when the automation, or what it would become, is out of reach', () => {
    const { registry, acme, admin } = setup();
    const mine = acme.save(inAcme, { name: 'mine' });
    const theirs = admin.save(inOther, { name: 'theirs' });
    expect(acme.update(mine.id, { cooldownMs: 0 }).cooldownMs).toBe(0);
    expect(isForbiddenError(thrownBy(() => acme.update(mine.id, { event: inOther.event })))).toBe(true);
    expect(isForbiddenError(thrownBy(() => acme.update(theirs.id, { name: 'stolen' })))).toBe(true);
    expect(registry.get(mine.id)?.event).toEqual(inAcme.event);
    expect(registry.get(theirs.id)?.name).toBe('theirs');
  });

  it('enable, disable and delete ask with their own operation', () => {
    const { registry, acme, admin } = setup();
    const mine = acme.save(inAcme, { name: 'mine' });
    const theirs = admin.save(inOther, { name: 'theirs' });
    calls.length = 0;
    expect(acme.disable(mine.id).enabled).toBe(false);
    expect(acme.enable(mine.id).enabled).toBe(true);
    expect(calls.map(([op, t]) => [op, t.id])).toEqual([
      ['disable', mine.id],
      ['enable', mine.id],
    ]);
    for (const op of ['disable', 'delete'] as const) {
      const error = thrownBy(() => acme[op](theirs.id));
      expect(isForbiddenError(error) && [error.operation, error.target]).toEqual([
        op,
        { id: theirs.id, name: 'theirs' },
      ]);
    }
    expect(registry.get(theirs.id)?.enabled).toBe(true);
    expect(acme.delete(mine.id)).toBe(true);
  });

  it('an unknown id is refused like any other when authorize refuses it, and is not found when it allows', () => {
    const { acme, admin } = setup();
    expect(isForbiddenError(thrownBy(() => acme.update('nope', { cooldownMs: 1 })))).toBe(true);
    expect(isForbiddenError(thrownBy(() => acme.enable('nope')))).toBe(true);
    expect(isForbiddenError(thrownBy(() => acme.delete('nope')))).toBe(true);
    expect(isNotFoundError(thrownBy(() => admin.update('nope', { cooldownMs: 1 })))).toBe(true);
    expect(admin.delete('nope')).toBe(false);
  });

  it('importAutomations asks `import`, then every change; one refusal changes nothing', () => {
    const { registry, acme, admin } = setup();
    const mine = admin.save(inAcme, { name: 'mine' });
    const json = {
      format: AUTOMATION_EXPORT_FORMAT,
      version: 1,
      automations: [
        { name: 'new', ...inAcme },
        { id: mine.id, name: 'mine', ...inOther },
      ],
    };
    const before: readonly Automation[] = registry.list();
    // The team may not import at all.
    const refused = thrownBy(() => acme.importAutomations(json, { mode: 'merge' }));
    expect(isForbiddenError(refused) && [refused.operation, refused.target]).toEqual(['import', {}]);
    // May import, but not move an automation out of its entity: the whole import is refused.
    const managed = managedBy(registry);
    const importer = new AuthorizedAutomations(
      managed,
      (p, op, t) => op === 'import' || authorize(p, op, t),
      {
        team: 'acme',
      },
    );
    const error = thrownBy(() => importer.importAutomations(json, { mode: 'replace' }));
    expect(isForbiddenError(error) && [error.operation, error.target]).toEqual([
      'update',
      { id: mine.id, name: 'mine' },
    ]);
    expect(registry.list()).toEqual(before);
    calls.length = 0;
    expect(admin.importAutomations(json, { mode: 'merge' })).toEqual({
      created: ['aut_2'],
      updated: [mine.id],
      deleted: [],
      unchanged: [],
    });
    // An update is asked twice: on the automation as it is, then as the file would make it.
    expect(calls.map(([op, t]) => [op, t.name, t.automation !== undefined])).toEqual([
      ['import', undefined, false],
      ['save', 'new', false],
      ['update', 'mine', true],
      ['update', 'mine', false],
    ]);
  });

  it('fails closed: an authorize that throws refuses, with the cause, and changes nothing', () => {
    const { registry } = setup();
    const broken = new AuthorizedAutomations(
      managedBy(registry),
      () => {
        throw new TypeError('cannot read team of undefined');
      },
      undefined,
    );
    const error = thrownBy(() => broken.save(inAcme, { name: 'x' }));
    expect(isForbiddenError(error) && [error.reason, (error.cause as Error).message]).toEqual([
      'threw',
      'cannot read team of undefined',
    ]);
    expect(registry.list()).toEqual([]);
    expect(broken.principal).toBeUndefined();
  });
});
