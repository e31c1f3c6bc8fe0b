import type { z } from 'zod';
import { fromZodIssues } from '../errors/from-zod.js';
import type { Issue } from '../errors/issue.js';
import {
  ARTIFACT_EVENT_SCHEMAS,
  type ArtifactEventData,
  type ArtifactEventType,
  isArtifactEventType,
} from '../schema/artifact-events.js';
import {
  type CloudEvent,
  cloudEventSchema,
  eventTimeMs,
  unsetNullAttributes,
} from '../schema/cloud-event.js';
import {
  RUN_METRICS,
  RUN_STATE,
  RUN_UPDATED,
  type RunMetricsData,
  type RunStateData,
  type RunUpdatedData,
  runMetricsDataSchema,
  runStateDataSchema,
  runUpdatedDataSchema,
} from '../schema/run-events.js';
import { checkInputLimits, DEFAULT_INPUT_LIMITS, type InputLimits } from './input-limits.js';

/** What every accepted event has: its identity (read without building `event`) and its time in epoch ms. */
type Accepted = { readonly id: string; readonly source: string; readonly time: number };

/** An event that passed validation, with its time in epoch ms and, for canonical types, its parsed data. */
export type AcceptedEvent =
  | (Accepted & {
      readonly kind: 'run.metrics';
      readonly event: CloudEvent<RunMetricsData>;
      readonly data: RunMetricsData;
      /** The names in `data.metrics`, when the fast path already listed them. */
      readonly names?: readonly string[] | undefined;
    })
  | {
      readonly id: string;
      readonly source: string;
      readonly kind: 'run.state';
      readonly event: CloudEvent<RunStateData>;
      readonly time: number;
      readonly data: RunStateData;
    }
  | (Accepted & {
      readonly kind: 'run.updated';
      readonly event: CloudEvent<RunUpdatedData>;
      readonly data: RunUpdatedData;
    })
  | {
      readonly id: string;
      readonly source: string;
      readonly kind: 'artifact';
      readonly type: ArtifactEventType;
      readonly event: CloudEvent;
      readonly time: number;
      readonly data: ArtifactEventData[ArtifactEventType];
    }
  | (Accepted & { readonly kind: 'foreign'; readonly event: CloudEvent });

export type ParseResult =
  | { readonly ok: true; readonly value: AcceptedEvent }
  | { readonly ok: false; readonly issues: Issue[] };

/** Parse an incoming event. Nothing here changes state: a refused event leaves the engine as it was. */
export function parseEvent(
  input: unknown,
  now: () => number,
  limits: InputLimits = DEFAULT_INPUT_LIMITS,
): ParseResult {
  // Before zod: bounds the cost of a hostile event and guarantees the schemas see plain JSON-like data only.
  const tooMuch = checkInputLimits(input, limits);
  if (tooMuch !== undefined) return { ok: false, issues: [tooMuch] };
  const envelope = cloudEventSchema.safeParse(unsetNullAttributes(input), { reportInput: true });
  if (!envelope.success) return { ok: false, issues: tagged(fromZodIssues(envelope.error.issues), input) };
  const event = envelope.data as CloudEvent;
  const time = event.time === undefined ? now() : eventTimeMs(event.time);
  if (event.type === RUN_METRICS) return withData(event, time, 'run.metrics', runMetricsDataSchema);
  if (event.type === RUN_STATE) return withData(event, time, 'run.state', runStateDataSchema);
  if (event.type === RUN_UPDATED) return withData(event, time, 'run.updated', runUpdatedDataSchema);
  if (isArtifactEventType(event.type)) {
    const data = ARTIFACT_EVENT_SCHEMAS[event.type].safeParse(event.data, { reportInput: true });
    if (!data.success)
      return { ok: false, issues: tagged(fromZodIssues(data.error.issues, ['data']), event) };
    const value = {
      kind: 'artifact',
      id: event.id,
      source: event.source,
      type: event.type,
      event: { ...event, data: data.data },
      time,
      data: data.data,
    } as const;
    return { ok: true, value };
  }
  return { ok: true, value: { kind: 'foreign', id: event.id, source: event.source, event, time } };
}

function withData<K extends 'run.metrics' | 'run.state' | 'run.updated', D>(
  event: CloudEvent,
  time: number,
  kind: K,
  schema: z.ZodType<D, unknown>,
): ParseResult {
  const data = schema.safeParse(event.data, { reportInput: true });
  if (!data.success) return { ok: false, issues: tagged(fromZodIssues(data.error.issues, ['data']), event) };
  return {
    ok: true,
    value: {
      kind,
      id: event.id,
      source: event.source,
      event: { ...event, data: data.data },
      time,
      data: data.data,
    } as AcceptedEvent,
  };
}

/** Issues about an event name it, when it has an id and source to name it by. */
function tagged(issues: Issue[], input: unknown): Issue[] {
  const envelope =
    typeof input === 'object' && input !== null ? (input as { id?: unknown; source?: unknown }) : {};
  const id = typeof envelope.id === 'string' ? envelope.id : undefined;
  const source = typeof envelope.source === 'string' ? envelope.source : undefined;
  return issues.map((i) => ({
    ...i,
    ...(id !== undefined && { eventId: id }),
    ...(source !== undefined && { source }),
  }));
}
