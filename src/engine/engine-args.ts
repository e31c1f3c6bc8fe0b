import { z } from 'zod';
import { parseInput } from '../definitions/parse.js';
import type { AutomationFilter } from '../management/list-filter.js';

/**
 * Arguments of the engine's methods, checked before anything reads them: an id is text (an unknown one is
 * simply not found), `list` takes `{ name?, scope?, enabled? }` (the scope is parsed as every scope is), and
 * `close` takes `{ abort? }`, and `on`, `once` and `off` an event name of EngineEvents.
 */
const idSchema = z.string();
const listFilterSchema = z
  .object({ name: z.string().optional(), scope: z.unknown().optional(), enabled: z.boolean().optional() })
  .strict();

/** One of the engine's event names (`on`, `once`, `off`): anything else would be made a key by calling its code. */
export function eventName<E extends string>(event: E, names: Readonly<Record<E, true>>): E {
  const known = Object.keys(names) as [E, ...E[]];
  return parseInput(z.enum(known), event, 'event name', ['event']) as E;
}

const closeOptionsSchema = z.object({ abort: z.boolean().optional() }).strict();

export function closeOptions(options: unknown): { readonly abort?: boolean } {
  return parseInput(closeOptionsSchema, options, 'close options') as { readonly abort?: boolean };
}

export function idArgument(id: unknown): string {
  return parseInput(idSchema, id, 'id', ['id']);
}

export function listFilter(filter: unknown): AutomationFilter {
  return parseInput(listFilterSchema, filter, 'list filter') as AutomationFilter;
}
