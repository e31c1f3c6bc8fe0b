import { z } from 'zod';

/** Names other tools (W&B's SDK and JSON, Azure) give our fields, so a refusal can say what we call them. */
const OUR_NAMES: Readonly<Record<string, readonly string[]>> = {
  window_size: ['window', 'currentWindow'],
  current_window_size: ['currentWindow'],
  prior_window: ['priorWindow'],
  prior_window_size: ['priorWindow'],
  agg_op: ['agg'],
  cmp_op: ['cmp'],
  change_dir: ['direction'],
  change_type: ['changeType'],
  change_amount: ['amount'],
  threshold: ['amount'],
  display_name: ['runName'],
  run_name: ['runName'],
  username: ['user'],
  integration_id: ['integration'],
  request_payload: ['payload'],
  requestPayload: ['payload'],
  webhook_url: ['webhookUrl', 'url'],
  cooldown: ['cooldownMs'],
};

/** Why a key is refused, beyond "unknown": a schema may add a note of its own for some keys. */
export type KeyNote = (key: string) => string | undefined;

function describeKeys(
  what: string,
  known: readonly string[],
  keys: readonly string[],
  note?: KeyNote,
): string {
  const quoted = keys.map((k) => JSON.stringify(k)).join(', ');
  const hints = keys.flatMap((key) => {
    const own = note?.(key);
    if (own !== undefined) return [own];
    const names = Object.hasOwn(OUR_NAMES, key) ? OUR_NAMES[key] : undefined;
    const ours = names?.find((name) => known.includes(name) && name !== key);
    return ours === undefined ? [] : [`for ${JSON.stringify(key)} write ${JSON.stringify(ours)}`];
  });
  const head = `unknown key${keys.length > 1 ? 's' : ''} ${quoted}`;
  return [
    `${head}${hints.length > 0 ? `: ${hints.join('; ')}` : ''}`,
    `${what} takes ${known.join(', ')}`,
  ].join('; ');
}

/**
 * An object schema that refuses keys it does not know (`unrecognized_keys` at the object's path, naming the
 * key), so nothing a user writes is silently ignored. `what` names the definition in the message.
 */
export function strictObject<S extends z.core.$ZodLooseShape>(what: string, shape: S, note?: KeyNote) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (iss) =>
      iss.code === 'unrecognized_keys' ? describeKeys(what, known, iss.keys, note) : undefined,
  });
}

/** An optional field where `null` means absent, as in W&B's and Azure's JSON; the output has no `null`. */
export function optional<T extends z.ZodType>(schema: T) {
  return schema.nullish().transform((value): z.output<T> | undefined => value ?? undefined);
}
