import { z } from 'zod';
import { parseInput } from '../definitions/parse.js';
import type { AuthorizeTarget, Operation } from './authorize.js';

/** `merge`: the file's automations are created or updated, the others kept; `replace`: the others are deleted. */
export type ImportMode = 'merge' | 'replace';

export type ImportOptions = {
  readonly mode: ImportMode;
  /** Asked for each change (`save`, `update`, `delete`) before any is made; throw to refuse the whole import. */
  readonly check?: (operation: Operation, target: AuthorizeTarget) => void;
};

const importOptionsSchema = z
  .object({
    mode: z.enum(['merge', 'replace']),
    check: z
      .custom<NonNullable<ImportOptions['check']>>((f) => typeof f === 'function', {
        message: 'expected a function',
      })
      .optional(),
  })
  .strict();

/** The options of an import, checked (and read) once: a mode other than merge or replace is refused. */
export function parseImportOptions(options: unknown): ImportOptions {
  return parseInput(importOptionsSchema, options, 'import options') as ImportOptions;
}
