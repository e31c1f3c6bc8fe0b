import type { JsonValue } from '../../schema/actions.js';
import type { Firing } from '../../streams/firing.js';
import { metricFilterText } from './evidence-text.js';

/** The variables of SEMANTICS §8, besides `artifact_metadata.KEY` and the integration's secrets. */
export const TEMPLATE_VARIABLES = [
  'automation_name',
  'event_type',
  'event_author',
  'entity_name',
  'project_name',
  'run_id',
  'run_name',
  'run_state',
  'metric_name',
  'metric_value',
  'metric_values',
  'metric_filter',
  'artifact_collection_name',
  'artifact_version',
  'artifact_version_string',
  'alias',
  'tag',
] as const;

export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];

export const ARTIFACT_METADATA_PREFIX = 'artifact_metadata.';

/** A fixed pattern (never built from input): `$${name}` is an escaped literal, `${name}` a variable. */
const PLACEHOLDER = /\$\$\{([A-Za-z0-9_.-]+)\}|\$\{([A-Za-z0-9_.-]+)\}/g;

/** An own property of an object, never one inherited from its prototype. */
function own(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && Object.hasOwn(value, key)
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** Metadata values as text: strings as they are, anything else as its JSON. */
function metadataText(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return ''; // a cycle or a BigInt from an in-process event: render nothing rather than fail the delivery
  }
}

/**
 * The template variables of one firing, each as text; one that does not apply is ''. Artifact facts win over
 * the event's data (they say which alias or tag matched); `artifact_metadata.KEY` has one entry per own key
 * of the event's `data.metadata`.
 */
export function templateVariables(firing: Firing): Record<string, string> {
  const data = firing.event.data;
  const a = firing.artifact;
  const e = firing.evidence;
  const dataVersion = own(data, 'version');
  const version = a?.version ?? (Number.isSafeInteger(dataVersion) ? (dataVersion as number) : undefined);
  const vars: Record<TemplateVariable, string> = {
    automation_name: firing.automationName,
    event_type: firing.event.type,
    event_author: text(own(data, 'user')),
    entity_name: a?.entity ?? text(own(data, 'entity')),
    project_name:
      a === undefined
        ? text(own(data, 'project')) || text(own(data, 'registry'))
        : 'registry' in a
          ? a.registry
          : a.project,
    run_id: firing.runId ?? text(own(data, 'runId')),
    run_name: text(own(data, 'runName')),
    run_state: firing.transition?.to ?? '',
    metric_name: e?.metric ?? '',
    metric_value: e === undefined ? '' : String(e.value),
    metric_values: e === undefined ? '' : e.values.map(String).join(','),
    metric_filter: e === undefined ? '' : metricFilterText(e),
    artifact_collection_name: a?.collection ?? text(own(data, 'collection')),
    artifact_version: version === undefined ? '' : String(version),
    artifact_version_string: version === undefined ? '' : `v${version}`,
    alias: a?.alias ?? text(own(data, 'alias')),
    tag: a?.tag ?? text(own(data, 'tag')),
  };
  const metadata = own(data, 'metadata');
  const entries =
    typeof metadata === 'object' && metadata !== null && !Array.isArray(metadata)
      ? Object.keys(metadata).map((k) => [`${ARTIFACT_METADATA_PREFIX}${k}`, metadataText(own(metadata, k))])
      : [];
  // fromEntries defines own properties, so a metadata key `__proto__` stays a key.
  return Object.fromEntries([...Object.entries(vars), ...entries]);
}

/**
 * Fill `${name}` placeholders in one string: a variable, else a secret, else ''. Write `$${name}` for a
 * literal `${name}`. Names are letters, digits, `_`, `.` and `-`; anything else is left as written.
 */
export function renderTemplate(
  template: string,
  variables: Readonly<Record<string, string>>,
  secrets: Readonly<Record<string, string>> = {},
): string {
  return template.replace(PLACEHOLDER, (_match, escaped: string | undefined, name: string | undefined) => {
    if (escaped !== undefined) return `\${${escaped}}`;
    const key = name ?? '';
    if (Object.hasOwn(variables, key)) return variables[key] ?? '';
    if (Object.hasOwn(secrets, key)) return secrets[key] ?? '';
    return '';
  });
}

/**
 * Fill templates in every string value of a parsed JSON payload; keys are never touched. Working on values,
 * not on JSON text, means a value full of quotes or backslashes stays inside its own string.
 */
export function renderPayload(
  payload: JsonValue,
  variables: Readonly<Record<string, string>>,
  secrets: Readonly<Record<string, string>> = {},
): JsonValue {
  if (typeof payload === 'string') return renderTemplate(payload, variables, secrets);
  if (Array.isArray(payload))
    return payload.map((item: JsonValue) => renderPayload(item, variables, secrets));
  if (typeof payload === 'object' && payload !== null) {
    // fromEntries, not assignment: a payload key `__proto__` must stay a key, not become a prototype.
    return Object.fromEntries(
      Object.entries(payload).map(([key, value]) => [key, renderPayload(value, variables, secrets)]),
    );
  }
  return payload;
}
