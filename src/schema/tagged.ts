import { z } from 'zod';
import { splitUnrecognizedKeys } from '../errors/from-zod.js';

function tagOf(value: unknown): unknown {
  return typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
}

/**
 * A union keyed on `type`: a missing or unknown tag is one clear issue naming the choices, and a known tag
 * reports only its own schema's issues (a plain union would report every member's).
 */
export function tagged<T>(schemas: Readonly<Record<string, z.ZodType<T>>>): z.ZodType<T, unknown> {
  const choices = Object.keys(schemas);
  return z.unknown().transform((value, ctx): T => {
    const tag = tagOf(value);
    const schema = typeof tag === 'string' && Object.hasOwn(schemas, tag) ? schemas[tag] : undefined;
    if (schema === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['type'],
        message: `expected type to be one of ${choices.join(', ')}`,
        input: tag,
        params: { code: 'invalid_value' },
      });
      return z.NEVER;
    }
    const result = schema.safeParse(value, { reportInput: true });
    if (result.success) return result.data;
    forwardIssues(result.error.issues, ctx);
    return z.NEVER;
  });
}

/** Report a nested parse's issues from an outer schema, keeping each one's path, input and our issue code. */
export function forwardIssues(issues: readonly z.core.$ZodIssue[], ctx: z.core.$RefinementCtx): void {
  for (const zi of issues.flatMap(splitUnrecognizedKeys)) {
    const code = zi.code === 'custom' ? (zi.params as { code?: string } | undefined)?.code : zi.code;
    ctx.addIssue({
      code: 'custom',
      path: [...zi.path],
      message: zi.message,
      input: zi.input,
      params: { code },
    });
  }
}
