import { z } from 'zod';

/** ASCII letters only, so that the JSON Schema's pattern says exactly what is accepted (no Kelvin sign for k). */
const fold = (text: string): string => text.replace(/[A-Z]/g, (c) => c.toLowerCase());

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const anyCase = (word: string): string =>
  [...word].map((c) => (/[a-z]/.test(c) ? `[${c}${c.toUpperCase()}]` : escapeRegex(c))).join('');

/**
 * A string enum read ignoring case (as W&B's `LenientStrEnum` does), each spelling mapped to our canonical
 * value. `aliases` are keyed in lower case. `refusals` give the message for spellings refused on purpose.
 */
export function caselessEnum<T extends string>(
  aliases: Readonly<Record<string, T>>,
  expected: string,
  refusals: Readonly<Record<string, string>> = {},
): z.ZodType<T, string> {
  const schema = z.string().transform((text, ctx): T => {
    const key = fold(text);
    const known = Object.hasOwn(aliases, key) ? aliases[key] : undefined;
    if (known !== undefined) return known;
    const refused = Object.hasOwn(refusals, key) ? refusals[key] : undefined;
    ctx.addIssue({
      code: 'custom',
      message: refused ?? `expected ${expected} (any case)`,
      input: text,
      params: { code: 'invalid_value' },
    });
    return z.NEVER;
  });
  // For `automationJsonSchema`, which sees only a string through the transform; examples keep editors' completions.
  return schema.meta({
    pattern: `^(?:${Object.keys(aliases).map(anyCase).join('|')})$`,
    examples: [...new Set(Object.values(aliases))],
  });
}

/** The spellings a TypeScript caller may write: `info`, `Info`, `INFO`. */
export type AnyCase<T extends string> = T | Lowercase<T> | Uppercase<T> | Capitalize<Lowercase<T>>;
