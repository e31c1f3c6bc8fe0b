import { types } from 'node:util';
import { z } from 'zod';
import { type Issue, type IssuePath, issue } from '../errors/issue.js';

/** Bounds on one incoming event, checked before any schema sees it, so that a hostile event costs at most these. */
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
}

export const DEFAULT_INPUT_LIMITS: InputLimits = Object.freeze({
  maxEventBytes: 1_048_576,
  maxDepth: 32,
  maxStringLength: 65_536,
  maxKeys: 10_000,
  maxArrayLength: 100_000,
});

const bound = z.union([z.number().int().min(1), z.literal(Number.POSITIVE_INFINITY)]);

/** For options: each limit a positive integer (or Infinity); absent ones take the default. */
export const inputLimitsSchema = z
  .object({
    maxEventBytes: bound.optional(),
    maxDepth: bound.optional(),
    maxStringLength: bound.optional(),
    maxKeys: bound.optional(),
    maxArrayLength: bound.optional(),
  })
  .strict()
  .transform((given): InputLimits => ({ ...DEFAULT_INPUT_LIMITS, ...given }) as InputLimits);

/** One open object or array on the walk; `keys` is undefined for arrays. `i` is the next child to visit. */
type Frame = { readonly node: object; readonly keys: string[] | undefined; i: number; readonly n: number };

/** Above this depth the cycle check keeps a set of ancestors instead of scanning the stack. */
const SCAN_DEPTH = 64;

/** What `primitiveSize` returns for values that are not a JSON primitive of acceptable length. */
const CONTAINER = -1;
const NOT_JSON = -2;

/**
 * Walk the input once, depth first with an explicit stack (no recursion, so no stack overflow), and stop at
 * the first limit exceeded. Only own enumerable data of plain objects and arrays is read, through property
 * descriptors, so no getter, proxy trap or prototype is ever run; anything else is not JSON and refused.
 * Returns the first issue, or undefined when the input is within every limit.
 */
export function checkInputLimits(
  input: unknown,
  limits: InputLimits = DEFAULT_INPUT_LIMITS,
): Issue | undefined {
  const found = new Walk(limits).run(input);
  return found === undefined ? undefined : tagged(found, input);
}

class Walk {
  readonly #limits: InputLimits;
  readonly #stack: Frame[] = [];
  #ancestors: Set<object> | undefined;
  #size = 0;

  constructor(limits: InputLimits) {
    this.#limits = limits;
  }

  run(input: unknown): Issue | undefined {
    const { maxEventBytes, maxStringLength } = this.#limits;
    const stack = this.#stack;
    const first = this.#visit(input);
    if (first !== undefined) return first;
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as Frame;
      if (top.i === top.n) {
        stack.pop();
        this.#ancestors?.delete(top.node);
        continue;
      }
      const keys = top.keys;
      let key: string | number = top.i;
      if (keys !== undefined) {
        key = keys[top.i] as string;
        if (key.length > maxStringLength)
          return issue(
            'too_big',
            pathOf(stack, stack.length - 1),
            `a key has at most ${maxStringLength} characters (maxStringLength)`,
            key.length,
          );
        this.#size += key.length + 3;
      }
      top.i += 1;
      const own = Object.getOwnPropertyDescriptor(top.node, key);
      if (own !== undefined && !('value' in own))
        return issue('invalid_type', pathOf(stack), 'a getter or setter is not JSON', undefined);
      // An array hole reads as undefined, and JSON.stringify writes it as null.
      const value: unknown = own?.value;
      const size = primitiveSize(value);
      if (size >= 0 && (typeof value !== 'string' || value.length <= maxStringLength)) {
        this.#size += size;
        if (this.#size > maxEventBytes) return this.#tooBig();
      } else {
        const refused = this.#visit(value);
        if (refused !== undefined) return refused;
      }
    }
    return undefined;
  }

  /** Check one value at the current path; open it when it is a container. */
  #visit(value: unknown): Issue | undefined {
    const { maxEventBytes, maxStringLength, maxDepth, maxArrayLength, maxKeys } = this.#limits;
    const stack = this.#stack;
    const size = primitiveSize(value);
    if (size === NOT_JSON)
      return issue('invalid_type', pathOf(stack), `a ${typeof value} is not JSON`, value);
    if (size !== CONTAINER) {
      if (typeof value === 'string' && value.length > maxStringLength)
        return issue(
          'too_big',
          pathOf(stack),
          `a string has at most ${maxStringLength} characters (maxStringLength)`,
          value.length,
        );
      this.#size += size;
      return this.#size > maxEventBytes ? this.#tooBig() : undefined;
    }
    const node = value as object;
    const refused = containerIssue(node);
    if (refused !== undefined) return issue('invalid_type', pathOf(stack), refused.message, refused.value);
    const cycle = ancestorIndex(node, stack, this.#ancestors);
    if (cycle >= 0)
      return issue(
        'invalid_value',
        pathOf(stack),
        'a cycle: this value contains itself (events are JSON)',
        pathOf(stack, cycle),
      );
    const depth = stack.length + 1;
    if (depth > maxDepth)
      return issue(
        'too_big',
        pathOf(stack),
        `objects and arrays nest at most ${maxDepth} deep (maxDepth)`,
        depth,
      );
    let frame: Frame;
    if (Array.isArray(node)) {
      if (node.length > maxArrayLength)
        return issue(
          'too_big',
          pathOf(stack),
          `an array has at most ${maxArrayLength} elements (maxArrayLength)`,
          node.length,
        );
      frame = { node, keys: undefined, i: 0, n: node.length };
    } else {
      const keys = Object.keys(node);
      if (keys.length > maxKeys)
        return issue(
          'too_big',
          pathOf(stack),
          `an object has at most ${maxKeys} keys (maxKeys)`,
          keys.length,
        );
      frame = { node, keys, i: 0, n: keys.length };
    }
    // Brackets, and a comma between each two children.
    this.#size += frame.n === 0 ? 2 : frame.n + 1;
    stack.push(frame);
    if (this.#ancestors !== undefined) this.#ancestors.add(node);
    else if (stack.length > SCAN_DEPTH) this.#ancestors = new Set(stack.map((f) => f.node));
    return this.#size > maxEventBytes ? this.#tooBig() : undefined;
  }

  #tooBig(): Issue {
    const max = this.#limits.maxEventBytes;
    return issue('too_big', [], `an event has at most ${max} bytes of JSON (maxEventBytes)`, this.#size);
  }
}

/** JSON length of a primitive (strings at any length), or CONTAINER for an object, NOT_JSON for the rest. */
function primitiveSize(value: unknown): number {
  switch (typeof value) {
    case 'number':
      return numberSize(value);
    case 'string':
      return value.length + 2;
    case 'boolean':
      return value ? 4 : 5;
    case 'undefined':
      // Not JSON, but harmless: JavaScript callers leave optional fields undefined; counted as `null`.
      return 4;
    case 'object':
      return value === null ? 4 : CONTAINER;
    default:
      // bigint, symbol, function: no JSON form.
      return NOT_JSON;
  }
}

/** Why an object is not a plain object or array, or undefined when it is one. */
function containerIssue(value: object): { message: string; value: unknown } | undefined {
  // A proxy runs code on every inspection, Array.isArray included; it must be refused before anything else.
  if (types.isProxy(value)) return { message: 'a proxy is not JSON', value: undefined };
  const proto: unknown = Object.getPrototypeOf(value);
  if (Array.isArray(value) ? proto === Array.prototype : proto === Object.prototype || proto === null)
    return undefined;
  const name = kindOf(value);
  return { message: `${name} is not JSON: an event holds plain objects, arrays and primitives`, value };
}

/** A name for an exotic object, read without running user code (no constructor or Symbol.toStringTag lookups). */
function kindOf(value: object): string {
  if (value instanceof Map) return 'a Map';
  if (value instanceof Set) return 'a Set';
  if (value instanceof Date) return 'a Date';
  if (value instanceof RegExp) return 'a RegExp';
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return 'binary data';
  if (value instanceof Promise) return 'a Promise';
  if (value instanceof Error) return 'an Error';
  return 'an object of a class';
}

/** The index of `value` among the open containers, or -1. */
function ancestorIndex(value: object, stack: readonly Frame[], ancestors: Set<object> | undefined): number {
  if (ancestors !== undefined && !ancestors.has(value)) return -1;
  for (let i = 0; i < stack.length; i++) if ((stack[i] as Frame).node === value) return i;
  return -1;
}

/** The path of the value being visited, or of the container at `depth` when given; built only for an issue. */
function pathOf(stack: readonly Frame[], depth = stack.length): IssuePath {
  const path: (string | number)[] = [];
  for (let d = 0; d < depth; d++) {
    const f = stack[d] as Frame;
    const i = f.i - 1;
    path.push(f.keys === undefined ? i : (f.keys[i] as string));
  }
  return path;
}

/** JSON length of a number: exact for integers up to 1e15, 24 (the longest a double prints as) for others. */
function numberSize(x: number): number {
  if (!Number.isFinite(x)) return 4; // JSON.stringify writes null
  if (!Number.isInteger(x) || x >= 1e15 || x <= -1e15) return 24;
  let n = x < 0 ? 2 : 1;
  for (let a = Math.abs(x); a >= 10; a = Math.floor(a / 10)) n += 1;
  return n;
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
