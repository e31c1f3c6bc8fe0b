import { type Issue, type IssuePath, issue } from '../../errors/issue.js';

export type Json = Record<string, unknown>;

/**
 * Reads W&B's JSON, collecting an issue (with its path) for each part that cannot be read or expressed, so that
 * one refusal names all of them. W&B nests JSON inside strings (`eventFilter`, `run_filter`, `requestPayload`):
 * `parsed` reads either form.
 */
export class WandbReader {
  readonly issues: Issue[] = [];

  fail(path: IssuePath, message: string, value: unknown, code: Issue['code'] = 'invalid_value'): undefined {
    this.issues.push(issue(code, path, message, value));
    return undefined;
  }

  /** A JSON object, given as an object or as JSON text holding one. */
  parsed(value: unknown, path: IssuePath, what: string): Json | undefined {
    let v = value;
    if (typeof v === 'string') {
      try {
        v = JSON.parse(v);
      } catch (error) {
        const why = error instanceof Error ? error.message : String(error);
        return this.fail(path, `${what} is not JSON: ${why}`, value, 'invalid_format');
      }
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v))
      return this.fail(path, `${what}: expected a JSON object`, value, 'invalid_type');
    return v as Json;
  }

  text(o: Json, key: string, path: IssuePath, required = true): string | undefined {
    const v = Object.hasOwn(o, key) ? o[key] : undefined;
    if (typeof v === 'string' && v.length > 0) return v;
    if (v === undefined || v === null)
      return required ? this.fail([...path, key], `${key} is missing`, v, 'invalid_type') : undefined;
    return this.fail([...path, key], `${key}: expected text`, v, 'invalid_type');
  }

  /** `o[key]` when present and not null. */
  static get(o: Json, key: string): unknown {
    const v = Object.hasOwn(o, key) ? o[key] : undefined;
    return v === null ? undefined : v;
  }
}

/** The caller's map from W&B's ids to ours: a function or a plain object. An id it does not know is undefined. */
export type IdMap<T> = ((id: string) => T | undefined) | { readonly [id: string]: T };

export function lookUp<T>(map: IdMap<T>, id: string): T | undefined {
  if (typeof map === 'function') return map(id);
  return Object.hasOwn(map, id) ? map[id] : undefined;
}
