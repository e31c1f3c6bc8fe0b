import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { parseDefinition } from '../definitions/parse.js';
import { DefinitionError } from '../errors/definition-error.js';
import { issue } from '../errors/issue.js';
import { newAutomationFields } from '../schema/automation.js';
import { labelSchema } from '../schema/names.js';
import { scopeSchema } from '../schema/scope.js';
import { optional, strictObject } from '../schema/strict.js';

export const AUTOMATION_EXPORT_FORMAT = 'ml-automations/automations';
export const AUTOMATION_EXPORT_VERSION = 1;

const timeSchema = z.number();

const { event, action, description, enabled, cooldownMs, retryPolicy, rateLimit } = newAutomationFields;

/** One automation of a file: a saved one as exported, or a definition with a name (and maybe an id) of your own. */
const entrySchema = strictObject('an automation of an export', {
  name: labelSchema,
  description,
  enabled,
  cooldownMs,
  event,
  action,
  retryPolicy,
  rateLimit,
  id: optional(labelSchema),
  // Derived from the event; exports carry it, so it is read and must agree with the event's.
  scope: optional(scopeSchema),
  createdAt: optional(timeSchema),
  updatedAt: optional(timeSchema),
}).superRefine((e, ctx) => {
  if (e.scope !== undefined && !isDeepStrictEqual(e.scope, e.event.scope)) {
    ctx.addIssue({
      code: 'custom',
      path: ['scope'],
      message: "scope is the event's scope: to change it, change event.scope",
      input: e.scope,
      params: { code: 'invalid_value' },
    });
  }
  if ((e.createdAt === undefined) !== (e.updatedAt === undefined)) {
    const field = e.createdAt === undefined ? 'createdAt' : 'updatedAt';
    ctx.addIssue({
      code: 'custom',
      path: [field],
      message: 'give both createdAt and updatedAt, or neither',
      input: undefined,
      params: { code: 'invalid_type' },
    });
  }
});

/** One automation of a document, as read. */
export type Entry = z.output<typeof entrySchema>;

/** The document `importAutomations` reads: the format, its version, the automations; nothing else. */
export const exportDocumentSchema = strictObject('an export', {
  format: z.literal(AUTOMATION_EXPORT_FORMAT, {
    message: `expected "${AUTOMATION_EXPORT_FORMAT}": an export of ml-automations`,
  }),
  version: z.literal(AUTOMATION_EXPORT_VERSION, {
    message: `this engine reads version ${AUTOMATION_EXPORT_VERSION} exports`,
  }),
  automations: z.array(entrySchema),
});

/** The entries of an export, given as JSON text or parsed; anything else is refused with paths into the file. */
export function readExport(json: unknown, what: string): readonly Entry[] {
  let value = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new DefinitionError([issue('invalid_format', [], `not JSON: ${message}`, json)], what);
    }
  }
  return parseDefinition(exportDocumentSchema, value, what).automations;
}
