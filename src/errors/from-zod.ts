import type { z } from 'zod';
import type { Issue, IssueCode, IssuePath } from './issue.js';

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

/** Zod reports the input it saw on each issue (with `reportInput`); we keep it as `value`. */
export function fromZodIssues(issues: readonly z.core.$ZodIssue[], prefix: IssuePath = []): Issue[] {
  return issues.map((zi) => {
    const params = 'params' in zi ? (zi.params as { code?: unknown } | undefined) : undefined;
    const custom = typeof params?.code === 'string' ? params.code : undefined;
    const code = (custom ?? (KNOWN.has(zi.code) ? zi.code : 'custom')) as IssueCode;
    const path = [...prefix, ...zi.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
    return { code, path, message: zi.message, value: zi.input };
  });
}

export function formatIssues(issues: readonly Issue[]): string {
  return issues
    .map((i) => `${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message} (${i.code})`)
    .join('; ');
}
