import { z } from 'zod';
import { checkData, parseInput } from '../../definitions/parse.js';
import { DefinitionError } from '../../errors/definition-error.js';
import { fromZodIssues } from '../../errors/from-zod.js';
import type { Issue } from '../../errors/issue.js';
import type { CloudEvent } from '../../schema/cloud-event.js';
import { type EventGridValidation, EventGridValidationError } from './event-grid-validation-error.js';

/** An event in the Event Grid schema, as Event Grid delivers it. */
export interface EventGridEvent {
  readonly id: string;
  readonly topic: string;
  readonly subject: string;
  readonly eventType: string;
  readonly eventTime: string;
  readonly data?: unknown;
  readonly dataVersion?: string | null;
  readonly metadataVersion?: string | null;
}

export interface FromEventGridOptions {
  /** Answers the subscription handshake; the validation event is then left out of the result instead of throwing. */
  readonly onValidation?: (validation: EventGridValidation) => void;
}

export const SUBSCRIPTION_VALIDATION_EVENT = 'Microsoft.EventGrid.SubscriptionValidationEvent';

const eventGridEventSchema = z.looseObject({
  id: z.string().min(1).max(1024),
  topic: z.string().min(1).max(4096),
  subject: z.string().max(4096),
  eventType: z.string().min(1).max(1024),
  eventTime: z.iso.datetime({ offset: true, local: false }),
  data: z.unknown().optional(),
  dataVersion: z.string().max(4000).nullish(),
  metadataVersion: z.string().max(64).nullish(),
});

const validationDataSchema = z.looseObject({
  validationCode: z.string().min(1).max(1024),
  validationUrl: z.string().min(1).max(4096).nullish(),
});

const validationResponseSchema = z.object({ validationCode: validationDataSchema.shape.validationCode });

const optionsSchema = z
  .object({
    onValidation: z.custom<(v: EventGridValidation) => void>((v) => typeof v === 'function').optional(),
  })
  .optional();

type Parsed = {
  readonly event?: CloudEvent;
  readonly validation?: EventGridValidation;
  readonly issues: Issue[];
};

function convert(input: unknown, path: readonly (string | number)[]): Parsed {
  const parsed = eventGridEventSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) return { issues: fromZodIssues(parsed.error.issues, path) };
  const e = parsed.data;
  // Event types compare case-insensitively (SEMANTICS §6), so a handshake in any casing is still a handshake.
  if (e.eventType.toLowerCase() === SUBSCRIPTION_VALIDATION_EVENT.toLowerCase()) {
    const data = validationDataSchema.safeParse(e.data, { reportInput: true });
    if (!data.success) return { issues: fromZodIssues(data.error.issues, [...path, 'data']) };
    const { validationCode, validationUrl } = data.data;
    return {
      issues: [],
      validation: {
        validationCode,
        ...(validationUrl != null && { validationUrl }),
        eventId: e.id,
        topic: e.topic,
      },
    };
  }
  const event: CloudEvent = {
    specversion: '1.0',
    id: e.id,
    source: e.topic,
    type: e.eventType,
    // A CloudEvent's subject is non-empty when present; Event Grid's may be "", which says nothing.
    ...(e.subject !== '' && { subject: e.subject }),
    time: e.eventTime,
    // Azure ML sends dataVersion "": "#" alone would name no schema, so no dataschema then.
    ...(e.dataVersion != null && e.dataVersion !== '' && { dataschema: `#${e.dataVersion}` }),
    // Kept as they came, as extension attributes: advanced filters read them as DataVersion, MetadataVersion.
    ...(e.dataVersion != null && { dataversion: e.dataVersion }),
    ...(e.metadataVersion != null && { metadataversion: e.metadataVersion }),
    ...(e.data !== undefined && { data: e.data }),
  };
  return { issues: [], event };
}

/**
 * Event Grid schema → CloudEvents 1.0 (SEMANTICS §1): topic→source, eventType→type, eventTime→time (the RFC 3339
 * text), dataVersion→dataschema "#"+dataVersion; id, subject (left out when ""), data unchanged; dataVersion and
 * metadataVersion also kept as the extension attributes `dataversion`, `metadataversion`. A subscription-validation
 * event throws EventGridValidationError, or with `onValidation` is handed to it and left out. Bad input:
 * DefinitionError.
 */
export function fromEventGrid(events: readonly unknown[], options?: FromEventGridOptions): CloudEvent[];
export function fromEventGrid(
  event: EventGridEvent,
  options: FromEventGridOptions & { readonly onValidation: (validation: EventGridValidation) => void },
): CloudEvent | undefined;
export function fromEventGrid(event: EventGridEvent, options?: FromEventGridOptions): CloudEvent;
export function fromEventGrid(
  input: unknown,
  options?: FromEventGridOptions,
): CloudEvent | CloudEvent[] | undefined;
export function fromEventGrid(
  input: unknown,
  options?: FromEventGridOptions,
): CloudEvent | CloudEvent[] | undefined {
  const onValidation = parseInput(optionsSchema, options, 'fromEventGrid options')?.onValidation;
  checkData(input, 'Event Grid event', 'message');
  const many = Array.isArray(input);
  const results = many ? input.map((e, i) => convert(e, [i])) : [convert(input, [])];
  const issues = results.flatMap((r) => r.issues);
  if (issues.length > 0) throw new DefinitionError(issues, many ? 'Event Grid events' : 'Event Grid event');
  const out: CloudEvent[] = [];
  for (const r of results) {
    if (r.validation === undefined) {
      if (r.event !== undefined) out.push(r.event);
    } else if (onValidation === undefined) {
      throw new EventGridValidationError(r.validation);
    } else {
      onValidation(r.validation);
    }
  }
  return many ? out : out[0];
}

/** The body (HTTP 200, JSON) that completes an Event Grid subscription handshake. */
export function eventGridValidationResponse(validationCode: string): { readonly validationResponse: string } {
  const parsed = parseInput(
    validationResponseSchema,
    { validationCode },
    'eventGridValidationResponse input',
  );
  return { validationResponse: parsed.validationCode };
}
