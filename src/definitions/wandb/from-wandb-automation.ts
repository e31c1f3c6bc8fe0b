import { z } from 'zod';
import { DefinitionError, isDefinitionError } from '../../errors/definition-error.js';
import { messageOf } from '../../errors/error-message.js';
import type { IssuePath } from '../../errors/issue.js';
import type { NewAutomation } from '../../schema/automation.js';
import type { ScopeInput } from '../../schema/scope.js';
import { checkData, parseInput } from '../parse.js';
import { parseAutomation } from '../parse-automation.js';
import { wandbInputAction, wandbSavedAction } from './wandb-action.js';
import { wandbTrigger } from './wandb-event.js';
import { type IdMap, type Json, lookUp, WandbReader } from './wandb-reader.js';

/** How W&B's ids become ours: its scope ids (a project, an artifact collection) and its integration ids. */
export interface FromWandbOptions {
  /** W&B scope id (`scopeID`, or a saved trigger's `scope.id`) → our scope, e.g. `'acme/vision'`. */
  readonly scope: IdMap<ScopeInput>;
  /** W&B integration id (`integrationID`, or `action.integration.id`) → the name of one of our integrations. */
  readonly integrations: IdMap<string>;
}

const REGISTRY_PREFIX = 'wandb-registry-';

/** A map is a function or a plain object; its values are checked where they are used. */
const idMapSchema = z.union([
  z.custom<(id: string) => unknown>((v) => typeof v === 'function', {
    message: 'expected a function or an object',
  }),
  z.record(z.string(), z.unknown()),
]);
const optionsSchema = z.strictObject({ scope: idMapSchema, integrations: idMapSchema });

/** The caller's map, made total: a throw, or an answer of the wrong type, is "not known" with the reason kept. */
function guarded<T>(map: IdMap<unknown>, ok: (v: unknown) => v is T, r: WandbReader, what: string): IdMap<T> {
  return (id: string) => {
    let v: unknown;
    try {
      v = lookUp(map, id);
    } catch (error) {
      r.fail([], `the ${what} map failed on ${id}: ${messageOf(error)}`, id, 'invalid_value');
      return undefined;
    }
    return ok(v) ? v : undefined;
  };
}
const isScope = (v: unknown): v is ScopeInput =>
  typeof v === 'string' || (typeof v === 'object' && v !== null);
const isName = (v: unknown): v is string => typeof v === 'string';

/** A project named `wandb-registry-<name>` is the registry `<name>` (W&B keeps registries as such projects). */
function registryScope(scope: ScopeInput): ScopeInput {
  if (typeof scope === 'string') {
    const [entity, project, ...rest] = scope.split('/');
    if (entity === undefined || project === undefined || !project.startsWith(REGISTRY_PREFIX)) return scope;
    const registry = project.slice(REGISTRY_PREFIX.length);
    return rest.length === 0 ? { entity, registry } : { entity, registry, collection: rest.join('/') };
  }
  if (typeof scope !== 'object' || scope === null || !('project' in scope)) return scope;
  const { project, ...rest } = scope as { project?: unknown } & Record<string, unknown>;
  if (typeof project !== 'string' || !project.startsWith(REGISTRY_PREFIX)) return scope;
  return { ...rest, registry: project.slice(REGISTRY_PREFIX.length) } as ScopeInput;
}

function ourScope(
  r: WandbReader,
  id: unknown,
  map: IdMap<ScopeInput>,
  path: IssuePath,
): ScopeInput | undefined {
  if (typeof id !== 'string' || id === '') return r.fail(path, 'the scope id is missing', id, 'invalid_type');
  const ours = lookUp(map, id);
  if (ours === undefined || ours === null)
    return r.fail(path, `W&B scope ${id} is not in the scope map`, id, 'invalid_value');
  try {
    checkData(ours, 'scope', 'definition', path);
  } catch (error) {
    // A scope with a getter or a proxy in it: refused before anything reads it.
    r.issues.push(...(isDefinitionError(error) ? error.issues : []));
    return undefined;
  }
  return registryScope(ours);
}

/**
 * Our automation for one of W&B's, read from its JSON: the create input (`triggeringEventType`, `scopeID`,
 * `eventFilter` as JSON text, `triggeredActionType` + `triggeredActionConfig`) or a saved `Trigger` (`scope`,
 * `event { eventType, filter }`, `action { __typename, … }`), as an object or JSON text. Enum values in any case;
 * `null` takes our default. Throws a DefinitionError naming each part that cannot be expressed here (a negation in
 * an artifact filter, an action only W&B's app runs, an id the maps do not know), or that our schemas refuse.
 */
export function fromWandbAutomation(json: unknown, options: FromWandbOptions): NewAutomation {
  // Plain data only (no getter or proxy of the caller's is run); the maps are the caller's code, called guarded.
  checkData(json, 'W&B automation', 'json');
  const maps = parseInput(optionsSchema, options, 'fromWandbAutomation options', ['options']);
  const r = new WandbReader();
  options = {
    scope: guarded(maps.scope as IdMap<unknown>, isScope, r, 'scope'),
    integrations: guarded(maps.integrations as IdMap<unknown>, isName, r, 'integrations'),
  };
  const given = r.parsed(json, [], 'the W&B automation');
  if (given === undefined) throw new DefinitionError(r.issues, 'W&B automation');
  const saved = Object.hasOwn(given, 'event') || Object.hasOwn(given, 'action');
  let trigger: Json | undefined;
  let action: Json | undefined;
  if (saved) {
    const scope = r.parsed(WandbReader.get(given, 'scope') ?? {}, ['scope'], 'scope');
    const event = r.parsed(WandbReader.get(given, 'event') ?? {}, ['event'], 'event');
    const ours = scope === undefined ? undefined : ourScope(r, scope['id'], options.scope, ['scope', 'id']);
    const type = event === undefined ? undefined : r.text(event, 'eventType', ['event']);
    if (ours !== undefined && type !== undefined && event !== undefined)
      trigger = wandbTrigger(r, type, WandbReader.get(event, 'filter'), ours, {
        type: ['event', 'eventType'],
        filter: ['event', 'filter'],
      });
    action = wandbSavedAction(r, WandbReader.get(given, 'action'), options.integrations);
  } else {
    const ours = ourScope(r, WandbReader.get(given, 'scopeID'), options.scope, ['scopeID']);
    const type = r.text(given, 'triggeringEventType', []);
    if (ours !== undefined && type !== undefined)
      trigger = wandbTrigger(r, type, WandbReader.get(given, 'eventFilter'), ours, {
        type: ['triggeringEventType'],
        filter: ['eventFilter'],
      });
    action = wandbInputAction(r, given, options.integrations);
  }
  if (r.issues.length > 0 || trigger === undefined || action === undefined)
    throw new DefinitionError(r.issues, 'W&B automation');
  const name = WandbReader.get(given, 'name');
  const description = WandbReader.get(given, 'description');
  const enabled = WandbReader.get(given, 'enabled');
  return parseAutomation({
    ...(name !== undefined && { name }),
    ...(description !== undefined && description !== '' && { description }),
    ...(enabled !== undefined && { enabled }),
    event: trigger,
    action,
  });
}
