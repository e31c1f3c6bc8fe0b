import { z } from 'zod';
import type { Firing } from '../../core/firing.js';
import { checkData, parseData, parseDefinition, parseInput } from '../../definitions/parse.js';
import { type JsonValue, type SendNotification, sendNotificationSchema } from '../../schema/actions.js';
import { renderSlackMessage as render, type SlackMessage } from './slack.js';
import { renderPayload as fill, templateVariables as variablesOf } from './templates.js';

// The rendering helpers as exported: a custom sink may hand them firings of its own making, so each argument
// is checked first (DefinitionError). The engine's own delivery calls the unchecked ones with its firings.

/** Any number, NaN and ±Infinity included (evidence of the non-finite trigger holds them). */
const num = z.custom<number>((v) => typeof v === 'number', { message: 'expected a number' });
const text = z.string();

const firingSchema = z.looseObject({
  id: text,
  automationId: text,
  automationName: text,
  event: z.looseObject({ id: text, source: text, type: text }),
  runId: text.optional(),
  time: num,
  evidence: z
    .looseObject({
      metric: text,
      value: num,
      values: z.array(num),
      aggregate: num,
      agg: text.optional(),
      cmp: text.optional(),
      threshold: num.optional(),
      prior: z.looseObject({ values: z.array(num), aggregate: num }).optional(),
      change: num.optional(),
      changeType: text.optional(),
      direction: text.optional(),
      amount: num.optional(),
      zscore: num.optional(),
    })
    .optional(),
  transition: z.looseObject({ from: text.optional(), to: text }).optional(),
  artifact: z
    .looseObject({
      entity: text,
      project: text.optional(),
      registry: text.optional(),
      collection: text.optional(),
      version: num.optional(),
      alias: text.optional(),
      tag: text.optional(),
      aliases: z.array(text).optional(),
    })
    .optional(),
});
const textRecord = z.record(z.string(), z.string());

const firingOf = (firing: unknown): Firing => parseData(firingSchema, firing, 'firing') as unknown as Firing;

/** See templates.ts: the variables of one firing, each as text. */
export function templateVariables(firing: Firing): Record<string, string> {
  return variablesOf(firingOf(firing));
}

/** See templates.ts: fill `${name}` templates in every string value of a JSON payload. */
export function renderPayload(
  payload: JsonValue,
  variables: Readonly<Record<string, string>>,
  secrets: Readonly<Record<string, string>> = {},
): JsonValue {
  checkData(payload, 'payload', 'json', ['payload']);
  return fill(
    payload,
    parseInput(textRecord, variables, 'template variables', ['variables']),
    parseInput(textRecord, secrets, 'template secrets', ['secrets']),
  );
}

/** See slack.ts: the Slack message of a SendNotification. */
export function renderSlackMessage(firing: Firing, action: SendNotification): SlackMessage {
  const notification = parseDefinition(sendNotificationSchema, action, 'SendNotification', ['action']);
  return render(firingOf(firing), notification);
}
