import type { IssuePath } from '../../errors/issue.js';
import { type IdMap, type Json, lookUp, WandbReader } from './wandb-reader.js';

/** Saved triggers name the action by its GraphQL type; the create input by `triggeredActionType`. */
const SAVED_TYPES: Readonly<Record<string, string>> = {
  NotificationTriggeredAction: 'NOTIFICATION',
  GenericWebhookTriggeredAction: 'GENERIC_WEBHOOK',
  NoOpTriggeredAction: 'NO_OP',
  QueueJobTriggeredAction: 'QUEUE_JOB',
};
const INPUT_KEYS: Readonly<Record<string, string>> = {
  NOTIFICATION: 'notificationActionInput',
  GENERIC_WEBHOOK: 'genericWebhookActionInput',
  NO_OP: 'noOpActionInput',
};

function integration(r: WandbReader, id: unknown, map: IdMap<string>, path: IssuePath): string | undefined {
  if (typeof id !== 'string' || id === '')
    return r.fail(path, 'the integration id is missing', id, 'invalid_type');
  const ours = lookUp(map, id);
  return typeof ours === 'string' && ours !== ''
    ? ours
    : r.fail(path, `W&B integration ${id} is not in the integrations map`, id, 'unknown_integration');
}

function action(
  r: WandbReader,
  type: string,
  config: Json,
  integrationId: unknown,
  idPath: IssuePath,
  map: IdMap<string>,
  path: IssuePath,
): Json | undefined {
  if (type === 'NO_OP') return { type: 'DoNothing' };
  if (type === 'NOTIFICATION') {
    const name = integration(r, integrationId, map, idPath);
    const get = (key: string) => WandbReader.get(config, key);
    if (name === undefined) return undefined;
    return {
      type: 'SendNotification',
      integration: name,
      title: get('title') ?? '',
      message: get('message') ?? '',
      ...(get('severity') !== undefined && { severity: get('severity') }),
    };
  }
  if (type === 'GENERIC_WEBHOOK') {
    const name = integration(r, integrationId, map, idPath);
    const raw = WandbReader.get(config, 'requestPayload');
    const payload =
      raw === undefined ? undefined : r.parsed(raw, [...path, 'requestPayload'], 'requestPayload');
    if (name === undefined || (raw !== undefined && payload === undefined)) return undefined;
    return { type: 'SendWebhook', integration: name, ...(payload !== undefined && { payload }) };
  }
  return r.fail(
    [...path, 'type'],
    `W&B action ${type} (a launch queue job, or one only W&B's app runs) has no counterpart here`,
    type,
    'invalid_value',
  );
}

/** The create input's `triggeredActionType` + `triggeredActionConfig` as our action. */
export function wandbInputAction(r: WandbReader, given: Json, map: IdMap<string>): Json | undefined {
  const type = r.text(given, 'triggeredActionType', [])?.toUpperCase();
  const config = r.parsed(
    WandbReader.get(given, 'triggeredActionConfig') ?? {},
    ['triggeredActionConfig'],
    'triggeredActionConfig',
  );
  if (type === undefined || config === undefined) return undefined;
  const key = Object.hasOwn(INPUT_KEYS, type) ? INPUT_KEYS[type] : undefined;
  const path = ['triggeredActionConfig', key ?? type];
  const inner = key === undefined ? {} : (WandbReader.get(config, key) ?? {});
  if (typeof inner !== 'object' || inner === null)
    return r.fail(path, 'expected an object', inner, 'invalid_type');
  const id = WandbReader.get(inner as Json, 'integrationID');
  return action(r, type, inner as Json, id, [...path, 'integrationID'], map, path);
}

/** A saved trigger's `action` (`{ __typename, integration: { id }, … }`) as our action. */
export function wandbSavedAction(r: WandbReader, given: unknown, map: IdMap<string>): Json | undefined {
  const a = r.parsed(given, ['action'], 'action');
  if (a === undefined) return undefined;
  const typename = WandbReader.get(a, '__typename');
  const type =
    typeof typename === 'string' && Object.hasOwn(SAVED_TYPES, typename) ? SAVED_TYPES[typename] : undefined;
  if (type === undefined)
    return r.fail(
      ['action', '__typename'],
      'an action type W&B saves: NotificationTriggeredAction, …',
      typename,
      'invalid_value',
    );
  const i = WandbReader.get(a, 'integration');
  const id = typeof i === 'object' && i !== null ? (i as Json)['id'] : undefined;
  return action(r, type, a, id, ['action', 'integration', 'id'], map, ['action']);
}
