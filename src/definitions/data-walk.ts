import { types } from 'node:util';
import { type Issue, type IssuePath, issue } from '../errors/issue.js';
import {
  arrayKeys,
  CONTAINER,
  kindOf,
  NOT_JSON,
  objectKeys,
  plainKind,
  primitiveSize,
} from './json-shape.js';

/** What a walk allows: bounds on size and shape, and how strictly the input must be JSON. */
export interface WalkRules {
  /** Approximate JSON size of the whole input (see InputLimits.maxEventBytes). */
  readonly maxBytes: number;
  readonly maxDepth: number;
  readonly maxStringLength: number;
  readonly maxKeys: number;
  readonly maxArrayLength: number;
  /** The input in messages: 'an event', 'a definition'. */
  readonly noun: string;
  /** Name each bound in messages as the option that sets it (`maxDepth`): for events, whose limits are options. */
  readonly options: boolean;
  /**
   * Events are JSON as JSON.parse makes it: every own property an enumerable data property with a string key.
   * Otherwise non-enumerable and symbol-keyed data is allowed (and walked), and functions are leaves: the
   * builder's triggers carry a non-enumerable `do`.
   */
  readonly json: boolean;
  /** Objects of a class this says yes to are leaves, passed on unread: the caller's clocks, sinks, bytes. */
  readonly instances: (value: object) => boolean;
}

/** One open object or array; `keys` is undefined for a dense array of indices only. `i` is the next child. */
type Frame = {
  readonly node: object;
  readonly keys: PropertyKey[] | undefined;
  i: number;
  readonly n: number;
};

/** Above this depth the cycle check keeps a set of ancestors instead of scanning the stack. */
const SCAN_DEPTH = 64;

const { getOwnPropertyDescriptor } = Object;

/**
 * Walk the input once, depth first with an explicit stack (no recursion, so no stack overflow), and stop at the
 * first rule broken. Every own property is looked at through its descriptor, whatever its key or enumerability,
 * so no getter, setter, proxy trap or prototype is ever run, and nothing the walk did not see can be read later.
 * Returns the first issue, or undefined when the input keeps every rule.
 */
export function walkData(input: unknown, rules: WalkRules): Issue | undefined {
  return new Walk(rules).run(input);
}

class Walk {
  readonly #rules: WalkRules;
  readonly #stack: Frame[] = [];
  #ancestors: Set<object> | undefined;
  #size = 0;

  constructor(rules: WalkRules) {
    this.#rules = rules;
  }

  run(input: unknown): Issue | undefined {
    const { maxBytes, maxStringLength, json } = this.#rules;
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
      const key: PropertyKey = top.keys === undefined ? top.i : (top.keys[top.i] as PropertyKey);
      top.i += 1;
      if (typeof key !== 'number') {
        const length = typeof key === 'string' ? key.length : String(key).length;
        if (length > maxStringLength)
          return issue(
            'too_big',
            pathOf(stack, stack.length - 1),
            `a key has at most ${maxStringLength} characters${this.#option('maxStringLength')}`,
            length,
          );
        this.#size += length + 3;
      }
      const own = getOwnPropertyDescriptor(top.node, key);
      if (own !== undefined) {
        if (!('value' in own))
          return issue('invalid_type', pathOf(stack), 'a getter or setter is not JSON', undefined);
        if (json && typeof key === 'symbol')
          return issue('invalid_type', pathOf(stack), 'a symbol-keyed property is not JSON', undefined);
        if (json && own.enumerable !== true)
          return issue('invalid_type', pathOf(stack), 'a non-enumerable property is not JSON', undefined);
      }
      // An array hole reads as undefined, and JSON.stringify writes it as null.
      const value: unknown = own?.value;
      const size = primitiveSize(value);
      if (size >= 0 && (typeof value !== 'string' || value.length <= maxStringLength)) {
        this.#size += size;
        if (this.#size > maxBytes) return this.#tooBig();
      } else {
        const refused = this.#visit(value);
        if (refused !== undefined) return refused;
      }
    }
    return undefined;
  }

  /** Check one value at the current path; open it when it is a container. */
  #visit(value: unknown): Issue | undefined {
    const { maxBytes, maxStringLength, maxDepth, maxArrayLength, maxKeys } = this.#rules;
    const stack = this.#stack;
    const size = primitiveSize(value);
    if (size === NOT_JSON) {
      // A function is a leaf where functions may be (the builder's `.do`), but never a proxy of one.
      if (typeof value === 'function' && !this.#rules.json && !types.isProxy(value)) return undefined;
      const shown = types.isProxy(value) ? undefined : value;
      return issue('invalid_type', pathOf(stack), `a ${typeof value} is not JSON`, shown);
    }
    if (size !== CONTAINER) {
      if (typeof value === 'string' && value.length > maxStringLength)
        return issue(
          'too_big',
          pathOf(stack),
          `a string has at most ${maxStringLength} characters${this.#option('maxStringLength')}`,
          value.length,
        );
      this.#size += size;
      return this.#size > maxBytes ? this.#tooBig() : undefined;
    }
    const node = value as object;
    // A proxy runs code on every inspection, Array.isArray included; it must be refused before anything else.
    if (types.isProxy(node)) return issue('invalid_type', pathOf(stack), 'a proxy is not JSON', undefined);
    const kind = plainKind(node);
    if (kind === undefined)
      return this.#rules.instances(node)
        ? undefined
        : issue(
            'invalid_type',
            pathOf(stack),
            `${kindOf(node)} is not JSON: plain objects, arrays and primitives only`,
            value,
          );
    const cycle = ancestorIndex(node, stack, this.#ancestors);
    if (cycle >= 0)
      return issue(
        'invalid_value',
        pathOf(stack),
        `a cycle: this value contains itself (${this.#rules.noun} is JSON)`,
        pathOf(stack, cycle),
      );
    const depth = stack.length + 1;
    if (depth > maxDepth)
      return issue(
        'too_big',
        pathOf(stack),
        `objects and arrays nest at most ${maxDepth} deep${this.#option('maxDepth')}`,
        depth,
      );
    let frame: Frame;
    if (kind === 'array') {
      const array = node as unknown[];
      if (array.length > maxArrayLength)
        return issue(
          'too_big',
          pathOf(stack),
          `an array has at most ${maxArrayLength} elements${this.#option('maxArrayLength')}`,
          array.length,
        );
      const keys = arrayKeys(array);
      frame = { node, keys, i: 0, n: keys?.length ?? array.length };
    } else {
      const keys = objectKeys(node);
      if (keys.length > maxKeys)
        return issue(
          'too_big',
          pathOf(stack),
          `an object has at most ${maxKeys} keys${this.#option('maxKeys')}`,
          keys.length,
        );
      frame = { node, keys, i: 0, n: keys.length };
    }
    // Brackets, and a comma between each two children.
    this.#size += frame.n === 0 ? 2 : frame.n + 1;
    stack.push(frame);
    if (this.#ancestors !== undefined) this.#ancestors.add(node);
    else if (stack.length > SCAN_DEPTH) this.#ancestors = new Set(stack.map((f) => f.node));
    return this.#size > maxBytes ? this.#tooBig() : undefined;
  }

  #tooBig(): Issue {
    const { maxBytes, noun } = this.#rules;
    const message = `${noun} has at most ${maxBytes} bytes of JSON${this.#option('maxEventBytes')}`;
    return issue('too_big', [], message, this.#size);
  }

  #option(name: string): string {
    return this.#rules.options ? ` (${name})` : '';
  }
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
    const key = f.keys === undefined ? f.i - 1 : (f.keys[f.i - 1] as PropertyKey);
    path.push(typeof key === 'symbol' ? String(key) : key);
  }
  return path;
}
