import { z } from 'zod';
import { fromZodIssues } from '../../errors/from-zod.js';
import { type Issue, type IssuePath, issue } from '../../errors/issue.js';
import { type CloudEvent, cloudEventSchema, unsetNullAttributes } from '../../schema/cloud-event.js';

/** An adapter step either yields a value or says, as issues, why it could not. */
export type Result<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly issues: Issue[] };

/** CloudEvents' sequence extension is a String; the engine orders by an integer, so decimal text is read as one. */
function numericSequence(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  const sequence = (input as { sequence?: unknown }).sequence;
  return typeof sequence === 'string' && /^\d{1,15}$/.test(sequence)
    ? { ...input, sequence: Number(sequence) }
    : input;
}

/** The JSON event format: `data` or `data_base64` (kept as base64 text, so events stay plain JSON), never both. */
const structuredSchema = z.preprocess(
  (input) => numericSequence(unsetNullAttributes(input)),
  cloudEventSchema.extend({ data_base64: z.base64().optional() }).superRefine((e, ctx) => {
    if (e.data !== undefined && e.data_base64 !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['data_base64'],
        message: 'an event carries data or data_base64, not both',
        input: e.data_base64,
        params: { code: 'invalid_value' },
      });
    }
  }),
);

/**
 * Validate one event in the JSON format; `specversion` defaults to "1.0"; extension attributes are kept; an
 * attribute whose value is `null` is unset (JSON format §2.2), so it is left out.
 */
export function structuredEvent(input: unknown, path: IssuePath = []): Result<CloudEvent> {
  const parsed = structuredSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) return { ok: false, issues: fromZodIssues(parsed.error.issues, path) };
  return { ok: true, value: { specversion: '1.0', ...parsed.data } as CloudEvent };
}

/** Text or bytes → a JSON value; anything else is taken as already parsed (a framework's JSON body). */
export function jsonBody(body: unknown, path: IssuePath): Result<unknown> {
  if (typeof body !== 'string' && !(body instanceof Uint8Array)) return { ok: true, value: body };
  const text = utf8(body);
  if (text === undefined)
    return { ok: false, issues: [issue('invalid_format', path, 'not valid UTF-8', body)] };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, issues: [issue('invalid_format', path, `not JSON: ${String(error)}`, text)] };
  }
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Strict UTF-8: undefined for invalid byte sequences rather than silent U+FFFD replacement. */
export function utf8(body: string | Uint8Array): string | undefined {
  if (typeof body === 'string') return body;
  try {
    return decoder.decode(body);
  } catch {
    return undefined;
  }
}
