import type { Firing } from '../../core/firing.js';
import type { JsonValue } from '../../schema/actions.js';
import { metricFilterText } from './evidence-text.js';
import { summaryText } from './summary-table.js';
import { wandbEventType } from './wandb-event-type.js';

/**
 * The variables of SEMANTICS §8, besides `artifact_metadata.KEY` and the integration's secrets. Those with W&B's
 * names render W&B's values; `ACCESS_TOKEN` is filled only in a SendWebhook payload to a WebhookIntegration.
 */
export const TEMPLATE_VARIABLES = [
  'automation_name',
  'event_type',
  'event_kind',
  'event_author',
  'entity_name',
  'project_name',
  'run_id',
  'run_name',
  'run_state',
  'run_status',
  'metric_name',
  'metric_value',
  'metric_values',
  'metric_filter',
  'artifact_collection_name',
  'artifact_version',
  'artifact_version_string',
  'alias',
  'tag',
  'summary',
  'summary_json',
  'ACCESS_TOKEN',
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

/** W&B names a registry's project `wandb-registry-<registry>`, as in `acme/wandb-registry-model/resnet:v3`. */
export const WANDB_REGISTRY_PREFIX = 'wandb-registry-';

/** W&B's version string, `entity/project/collection:vN`; '' unless every part is known. */
function versionString(
  entity: string,
  project: string,
  collection: string,
  version: number | undefined,
): string {
  if (entity === '' || project === '' || collection === '' || version === undefined) return '';
  return `${entity}/${project}/${collection}:v${version}`;
}

/**
 * The template variables of one firing, each as text; one that does not apply is ''. Artifact facts win over
 * the event's data (they say which alias or tag matched); `artifact_metadata.KEY` has one entry per own key
 * of the version's metadata as the engine knows it from `artifact.created` (the facts), else of the event's
 * `data.metadata`. `ACCESS_TOKEN` is '' here: only the webhook request fills it, from its integration.
 */
export function templateVariables(firing: Firing): Record<string, string> {
  const data = firing.event.data;
  const a = firing.artifact;
  const e = firing.evidence;
  const dataVersion = own(data, 'version');
  const version = a?.version ?? (Number.isSafeInteger(dataVersion) ? (dataVersion as number) : undefined);
  const registry = a === undefined ? text(own(data, 'registry')) : 'registry' in a ? a.registry : '';
  const project = a === undefined ? text(own(data, 'project')) : 'project' in a ? a.project : '';
  const entity = a?.entity ?? text(own(data, 'entity'));
  const collection = a?.collection ?? text(own(data, 'collection'));
  const state = firing.transition?.to ?? '';
  const vars: Record<TemplateVariable, string> = {
    automation_name: firing.automationName,
    event_type: wandbEventType(firing),
    event_kind: firing.event.type,
    event_author: text(own(data, 'user')),
    entity_name: entity,
    project_name: project || registry,
    run_id: firing.runId ?? text(own(data, 'runId')),
    run_name: text(own(data, 'runName')),
    run_state: state,
    run_status: state,
    metric_name: e?.metric ?? '',
    metric_value: e === undefined ? '' : String(e.value),
    metric_values: e === undefined ? '' : e.values.map(String).join(','),
    metric_filter: e === undefined ? '' : metricFilterText(e),
    artifact_collection_name: collection,
    artifact_version: version === undefined ? '' : String(version),
    artifact_version_string: versionString(
      entity,
      project || (registry === '' ? '' : `${WANDB_REGISTRY_PREFIX}${registry}`),
      collection,
      version,
    ),
    alias: a?.alias ?? text(own(data, 'alias')),
    tag: a?.tag ?? text(own(data, 'tag')),
    summary: firing.summary === undefined ? '' : summaryText(firing.summary),
    summary_json: firing.summary === undefined ? '' : JSON.stringify(firing.summary),
    ACCESS_TOKEN: '',
  };
  const metadata = a?.metadata ?? own(data, 'metadata');
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
