import type { Firing } from '../../core/firing.js';
import type { SendPagerDuty } from '../../schema/destination-actions.js';
import type { JsonValue } from '../../schema/json-value.js';
import { firingSummary, isoTime } from '../firing-text.js';
import { defaultPayload } from '../http/default-payload.js';
import { renderTemplate, templateVariables } from '../http/templates.js';
import type { PagerDutyIntegration } from './pagerduty-integration.js';

/** PagerDuty's limit on `payload.summary`. */
const SUMMARY_MAX = 1024;

/** Where it happened, as PagerDuty's `source` wants it: `acme/vision/r1`, `acme/vision/resnet:v3`, else the event's source. */
function sourceOf(firing: Firing): string {
  const v = templateVariables(firing);
  const project = [v['entity_name'], v['project_name']].filter((p) => p !== undefined && p !== '').join('/');
  if (project === '') return firing.event.source;
  const run = v['run_id'] ?? '';
  const collection = v['artifact_collection_name'] ?? '';
  // The version number, not artifact_version_string, which is already W&B's whole entity/project/collection:vN.
  const version = v['artifact_version'] ?? '';
  if (run !== '') return `${project}/${run}`;
  if (collection !== '') return `${project}/${collection}${version === '' ? '' : `:v${version}`}`;
  return project;
}

/**
 * The Events API v2 `trigger` for one firing. `dedup_key` is the firing id, so a retried delivery joins the
 * alert the first one opened; `component` is the automation; `custom_details` the firing and its evidence.
 */
export function renderPagerDutyEvent(
  firing: Firing,
  action: SendPagerDuty,
  integration: PagerDutyIntegration,
): JsonValue {
  const summary =
    renderTemplate(action.summary ?? '', templateVariables(firing)).trim() ||
    `${firing.automationName}: ${firingSummary(firing)}`;
  return {
    routing_key: integration.routingKey,
    event_action: 'trigger',
    dedup_key: firing.id,
    client: 'ml-automations',
    payload: {
      summary: summary.length > SUMMARY_MAX ? `${summary.slice(0, SUMMARY_MAX - 1)}…` : summary,
      source: sourceOf(firing),
      severity: action.severity,
      timestamp: isoTime(firing.time),
      component: firing.automationName,
      class: firing.event.type,
      custom_details: defaultPayload(firing),
    },
  };
}
