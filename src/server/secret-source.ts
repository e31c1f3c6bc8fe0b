import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** Where a secret comes from: an environment variable or a file (e.g. a mounted Kubernetes secret), never inline. */
export type SecretSource = { readonly env: string } | { readonly file: string };

export const secretSourceSchema = z.union([
  z.object({ env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name') }).strict(),
  z.object({ file: z.string().min(1) }).strict(),
]);

/** Thrown with the source, never the secret: the caller names the field. */
export class SecretUnavailable extends Error {
  override readonly name = 'SecretUnavailable' as const;
}

/** The secret's text (a file's trailing newline dropped); throws SecretUnavailable naming the source only. */
export function readSecret(source: SecretSource, env: NodeJS.ProcessEnv = process.env): string {
  if ('env' in source) {
    const value = env[source.env];
    if (value === undefined || value === '')
      throw new SecretUnavailable(`the environment variable ${source.env} is not set`);
    return value;
  }
  let text: string;
  try {
    text = readFileSync(source.file, 'utf8');
  } catch {
    throw new SecretUnavailable(`the file ${source.file} cannot be read`);
  }
  const value = text.replace(/\r?\n$/, '');
  if (value === '') throw new SecretUnavailable(`the file ${source.file} is empty`);
  return value;
}
