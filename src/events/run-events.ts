import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { checkData, parseDefinition } from '../definitions/parse.js';
import { DefinitionError } from '../errors/definition-error.js';
import { issue } from '../errors/issue.js';
import type { CloudEvent } from '../schema/cloud-event.js';
import { eventTimeSchema } from '../schema/cloud-event.js';
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

/** Envelope fields a helper may be given; absent: a random id, source `/entity/project`, no time (the engine's clock). */
export type EnvelopeInput = {
  readonly id?: string;
  readonly source?: string;
  readonly time?: string | number;
  readonly subject?: string;
};

type MetricValueInput = number | 'NaN' | 'nan' | 'Infinity' | 'inf' | '-Infinity' | '-inf' | null;
export type RunMetricsInput = Omit<RunMetricsData, 'metrics'> & {
  readonly metrics: { readonly [name: string]: MetricValueInput };
} & EnvelopeInput;
export type RunStateInput = RunStateData & EnvelopeInput;
export type RunUpdatedInput = RunUpdatedData & EnvelopeInput;

const envelopeSchema = z.object({
  id: z.string().min(1).max(1024).optional(),
  source: z.string().min(1).max(4096).optional(),
  time: eventTimeSchema.optional(),
  subject: z.string().min(1).max(4096).optional(),
});

export function envelope(input: EnvelopeInput, type: string, entity: string, where: string, what: string) {
  const e = parseDefinition(
    envelopeSchema,
    { id: input.id, source: envelopeSource(input), time: input.time, subject: input.subject },
    what,
  );
  return {
    specversion: '1.0' as const,
    id: e.id ?? randomUUID(),
    source: e.source ?? `/${entity}/${where}`,
    type,
    ...(e.subject !== undefined && { subject: e.subject }),
    ...(input.time !== undefined && { time: input.time }),
  };
}

/**
 * `source` names the CloudEvent's source when it is text; `artifact.linked` data has a `source` of its own
 * (the artifact it came from), an object, which stays in the data.
 */
function envelopeSource(input: { readonly source?: unknown }): unknown {
  return typeof input.source === 'object' && input.source !== null ? undefined : input.source;
}

/** A helper's input, checked before anything reads it: plain data (no getter runs), and an object. */
export function helperInput<T>(input: T, what: string): T {
  checkData(input, what);
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new DefinitionError([issue('invalid_type', [], 'expected an object', input)], what);
  return input;
}

export function dataOf<T extends object>(input: T): Omit<T, keyof EnvelopeInput> {
  const {
    id: _id,
    source,
    time: _time,
    subject: _subject,
    ...data
  } = input as T & EnvelopeInput & { source?: unknown };
  const kept = typeof source === 'object' && source !== null ? { source } : {};
  return { ...data, ...kept } as Omit<T, keyof EnvelopeInput>;
}

/** A `run.metrics` CloudEvent: one history row of a run. Validated: throws DefinitionError naming the field. */
function runMetrics(given: RunMetricsInput): CloudEvent<RunMetricsData> {
  const input = helperInput(given, 'run.metrics event');
  const data = parseDefinition(runMetricsDataSchema, dataOf(input), 'run.metrics event');
  return {
    ...envelope(input, RUN_METRICS, data.entity, data.project, 'run.metrics event'),
    subject: input.subject ?? `runs/${data.runId}`,
    data,
  };
}

/** A `run.state` CloudEvent: the run changed state. */
function runState(given: RunStateInput): CloudEvent<RunStateData> {
  const input = helperInput(given, 'run.state event');
  const data = parseDefinition(runStateDataSchema, dataOf(input), 'run.state event');
  return {
    ...envelope(input, RUN_STATE, data.entity, data.project, 'run.state event'),
    subject: input.subject ?? `runs/${data.runId}`,
    data,
  };
}

/** A `run.updated` CloudEvent: the run's name, user, tags or config changed; it fires no run trigger by itself. */
function runUpdated(given: RunUpdatedInput): CloudEvent<RunUpdatedData> {
  const input = helperInput(given, 'run.updated event');
  const data = parseDefinition(runUpdatedDataSchema, dataOf(input), 'run.updated event');
  return {
    ...envelope(input, RUN_UPDATED, data.entity, data.project, 'run.updated event'),
    subject: input.subject ?? `runs/${data.runId}`,
    data,
  };
}

export const runEvents = { runMetrics, runState, runUpdated };
