import { types } from 'node:util';
import { z } from 'zod';
import { walkData } from '../definitions/data-walk.js';
import type { Issue } from '../errors/issue.js';

/**
 * Bounds on one incoming event, checked before any schema sees it, so that a hostile event costs at most these;
 * and how far ahead of the clock its time may be, checked once it is parsed.
 */
export interface InputLimits {
  /**
   * Approximate JSON size of the whole event: strings by their UTF-16 length plus quotes, keys, separators;
   * integers by their digits, other numbers as 24 characters (the longest a double prints as).
   * @default 1_048_576 (1 MiB)
   */
  readonly maxEventBytes: number;
  /**
   * Nested objects and arrays; the event itself is depth 1, its `data` 2.
   * @default 32
   */
  readonly maxDepth: number;
  /**
   * Characters in any string anywhere in the event, object keys included.
   * @default 65_536 (64 KiB)
   */
  readonly maxStringLength: number;
  /**
   * Keys of any one object.
   * @default 10_000
   */
  readonly maxKeys: number;
  /**
   * Elements of any one array.
   * @default 100_000
   */
  readonly maxArrayLength: number;
  /**
   * How far ahead of the engine clock an event's time may be. Event time drives eviction and the seen-id
   * window, so one event dated 9999 would otherwise release every run: it is refused (`out_of_range`).
   * `Infinity` turns the check off.
   * @default 300_000 (5 minutes)
   */
  readonly maxFutureMs: number;
}

export const DEFAULT_INPUT_LIMITS: InputLimits = Object.freeze({
  maxEventBytes: 1_048_576,
  maxDepth: 32,
  maxStringLength: 65_536,
  maxKeys: 10_000,
  maxArrayLength: 100_000,
  maxFutureMs: 300_000,
});

const bound = z.union([z.number().int().min(1), z.literal(Number.POSITIVE_INFINITY)]);

/** For options: each limit a positive integer (maxFutureMs: ≥ 0), or Infinity; absent ones take the default. */
export const inputLimitsSchema = z
  .object({
    maxEventBytes: bound.optional(),
    maxDepth: bound.optional(),
    maxStringLength: bound.optional(),
    maxKeys: bound.optional(),
    maxArrayLength: bound.optional(),
    maxFutureMs: z.union([z.number().int().min(0), z.literal(Number.POSITIVE_INFINITY)]).optional(),
  })
  .strict()
  .transform((given): InputLimits => ({ ...DEFAULT_INPUT_LIMITS, ...given }) as InputLimits);

/**
 * Walk the input once, depth first without recursion, and stop at the first limit exceeded. An event is JSON as
 * JSON.parse makes it: plain objects and arrays whose every own property, whatever its key or enumerability, is
 * an enumerable data property with a string key; each is looked at through its descriptor, so no getter, proxy
 * trap or prototype is ever run, and nothing the walk did not see is read later. Anything else is refused.
 * Returns the first issue, or undefined when the input is within every limit.
 */
export function checkInputLimits(
  input: unknown,
  limits: InputLimits = DEFAULT_INPUT_LIMITS,
): Issue | undefined {
  const found = walkData(input, {
    maxBytes: limits.maxEventBytes,
    maxDepth: limits.maxDepth,
    maxStringLength: limits.maxStringLength,
    maxKeys: limits.maxKeys,
    maxArrayLength: limits.maxArrayLength,
    noun: 'an event',
    options: true,
    json: true,
    instances: () => false,
  });
  return found === undefined ? undefined : tagged(found, input);
}

/** Name the event by its id and source, when they are short own strings: read without running any getter. */
function tagged(found: Issue, input: unknown): Issue {
  if (typeof input !== 'object' || input === null || types.isProxy(input)) return found;
  const id = ownString(input, 'id', 1024);
  const source = ownString(input, 'source', 4096);
  return {
    ...found,
    ...(id !== undefined && { eventId: id }),
    ...(source !== undefined && { source }),
  };
}

function ownString(o: object, key: string, max: number): string | undefined {
  const d = Object.getOwnPropertyDescriptor(o, key);
  const v: unknown = d !== undefined && 'value' in d ? d.value : undefined;
  return typeof v === 'string' && v.length > 0 && v.length <= max ? v : undefined;
}
