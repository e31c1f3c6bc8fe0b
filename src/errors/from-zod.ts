import { types } from 'node:util';
import type { z } from 'zod';
import type { Issue, IssueCode, IssuePath } from './issue.js';
import { ownData, textOf } from './safe-read.js';

const KNOWN: ReadonlySet<string> = new Set<IssueCode>([
  'invalid_type',
  'invalid_value',
  'invalid_format',
  'too_big',
  'too_small',
  'invalid_union',
  'unrecognized_keys',
  'custom',
]);

/**
 * One issue per unknown key, whose value is the key (zod gives one issue for all of them, valued the whole
 * object): the path points at the object, the value and the message name the key.
 */
export function splitUnrecognizedKeys(zi: z.core.$ZodIssue): readonly FlatIssue[] {
  if (zi.code !== 'unrecognized_keys') return [zi];
  return zi.keys.map((key) => ({ code: zi.code, path: zi.path, message: zi.message, input: key }));
}

/** What this module reads of a zod issue. */
export type FlatIssue = {
  readonly code: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly input?: unknown;
  readonly params?: unknown;
};

/** Zod reports the input it saw on each issue (with `reportInput`); we keep it as `value`. */
export function fromZodIssues(issues: readonly z.core.$ZodIssue[], prefix: IssuePath = []): Issue[] {
  return issues.flatMap(splitUnrecognizedKeys).map((zi) => {
    const params = zi.params as { code?: unknown } | undefined;
    const custom = typeof params?.code === 'string' ? params.code : undefined;
    const code = (custom ?? (KNOWN.has(zi.code) ? zi.code : 'custom')) as IssueCode;
    const path = [...prefix, ...zi.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
    return { code, path, message: zi.message, value: zi.input };
  });
}

/** `path: message (code); …`. Read without running any code: a caller may build an error with its own issues. */
export function formatIssues(issues: readonly Issue[]): string {
  if (types.isProxy(issues) || !Array.isArray(issues)) return textOf(issues, 'no issues');
  const parts: string[] = [];
  for (let n = 0; n < issues.length; n++) {
    const i = ownData(issues, n);
    const raw = ownData(i, 'path');
    const path: string[] = [];
    if (!types.isProxy(raw) && Array.isArray(raw))
      for (let k = 0; k < raw.length; k++) path.push(textOf(ownData(raw, k)));
    parts.push(
      `${path.length > 0 ? path.join('.') : '(root)'}: ${textOf(ownData(i, 'message'))} (${textOf(ownData(i, 'code'))})`,
    );
  }
  return parts.join('; ');
}
