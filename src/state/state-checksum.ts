import { createHash } from 'node:crypto';
import type { IssueCode } from '../errors/issue.js';

export const CHECKSUM_PREFIX = 'sha256:';
export const CHECKSUM_FORMAT = /^sha256:[0-9a-f]{64}$/;

/** Deeper than any snapshot nests: a bound for input that is not one (a cycle ends here too). */
const MAX_DEPTH = 1_000;
/** Text is hashed in slices: one string of a whole snapshot would double its memory for nothing. */
const SLICE = 8_192;

/** A value a checksum cannot be taken of (a cycle, a bigint, too deep): no snapshot holds one. */
export class NotJsonError extends Error {
  override readonly name = 'NotJsonError' as const;
}

/** Writes canonical JSON into a hash: object keys sorted, no spaces, values JSON cannot hold skipped as JSON does. */
class CanonicalWriter {
  readonly #hash = createHash('sha256');
  #parts: string[] = [];
  /** Sorted keys by the object's own key order: a snapshot's many objects share a few shapes. */
  readonly #sorted = new Map<string, readonly string[]>();
  readonly #keyText = new Map<string, string>();

  digest(): string {
    this.#flush();
    return this.#hash.digest('hex');
  }

  value(v: unknown, depth: number): void {
    switch (typeof v) {
      case 'string':
        this.#parts.push(JSON.stringify(v));
        return;
      case 'number':
        this.#parts.push(Number.isFinite(v) ? String(v) : 'null');
        return;
      case 'boolean':
        this.#parts.push(v ? 'true' : 'false');
        return;
      case 'bigint':
        throw new NotJsonError('a bigint has no JSON form');
      case 'object':
        if (v === null) this.#parts.push('null');
        else if (depth > MAX_DEPTH) throw new NotJsonError(`nested deeper than ${MAX_DEPTH} (or a cycle)`);
        else if (Array.isArray(v)) this.#array(v, depth);
        else this.#object(v as Record<string, unknown>, depth);
        if (this.#parts.length > SLICE) this.#flush();
        return;
      default:
        this.#parts.push('null');
    }
  }

  #array(v: readonly unknown[], depth: number): void {
    // Windows are long arrays of numbers: those JSON writes exactly as the canonical form, natively.
    if (v.every((x) => typeof x === 'number' || typeof x === 'string' || typeof x === 'boolean')) {
      this.#parts.push(JSON.stringify(v));
      return;
    }
    this.#parts.push('[');
    for (let i = 0; i < v.length; i++) {
      if (i > 0) this.#parts.push(',');
      this.value(v[i], depth + 1);
    }
    this.#parts.push(']');
  }

  #object(v: Record<string, unknown>, depth: number): void {
    const own = Object.keys(v);
    // The count first: `{}` and `{ "": … }` would otherwise share the shape ''.
    const shape = `${own.length}\u0000${own.join('\u0000')}`;
    let keys = this.#sorted.get(shape);
    if (keys === undefined) {
      keys = [...own].sort();
      this.#sorted.set(shape, keys);
    }
    this.#parts.push('{');
    let first = true;
    for (const key of keys) {
      const item = v[key];
      if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
      let text = this.#keyText.get(key);
      if (text === undefined) {
        text = `${JSON.stringify(key)}:`;
        this.#keyText.set(key, text);
      }
      this.#parts.push(first ? text : `,${text}`);
      first = false;
      this.value(item, depth + 1);
    }
    this.#parts.push('}');
  }

  #flush(): void {
    this.#hash.update(this.#parts.join(''), 'utf8');
    this.#parts = [];
  }
}

/**
 * SHA-256 over the canonical JSON of `value` (object keys sorted by code unit, no spaces), as `sha256:<hex>`.
 * Canonical, so a store that reorders keys or reformats the file keeps the checksum. Throws NotJsonError on a
 * cycle, a bigint or nesting past 1,000.
 */
export function checksumOf(value: unknown): string {
  const writer = new CanonicalWriter();
  writer.value(value, 0);
  return `${CHECKSUM_PREFIX}${writer.digest()}`;
}

/** What is wrong with a snapshot's checksum, as the state schema reports it. */
export type ChecksumProblem = {
  readonly path: string[];
  readonly message: string;
  readonly code: IssueCode;
  readonly input: unknown;
};

/** Why a version 3 snapshot's checksum does not vouch for its content, or undefined when it does. */
export function checksumProblem(input: Record<string, unknown>): ChecksumProblem | undefined {
  let stated: unknown;
  let computed: string;
  try {
    const { checksum, ...content } = input;
    stated = checksum;
    if (typeof stated !== 'string' || !CHECKSUM_FORMAT.test(stated)) return malformed(stated);
    computed = checksumOf(content);
  } catch (error) {
    // A cycle, a bigint, a getter that throws: no snapshot is like that, and nothing but a typed issue leaves.
    const message = `not a snapshot: ${error instanceof Error ? error.message : String(error)}`;
    return { path: [], message, code: 'invalid_value', input: undefined };
  }
  if (computed === stated) return undefined;
  const message = `the snapshot's checksum does not match its content (stated ${stated}, computed ${computed}): it was changed after it was taken, so it is refused`;
  return { path: ['checksum'], message, code: 'checksum_mismatch', input: stated };
}

function malformed(stated: unknown): ChecksumProblem {
  return typeof stated === 'string'
    ? {
        path: ['checksum'],
        message: 'expected sha256:<64 hex digits>',
        code: 'invalid_format',
        input: stated,
      }
    : {
        path: ['checksum'],
        message: 'a version 3 snapshot carries a checksum of its content',
        code: 'invalid_type',
        input: stated,
      };
}
