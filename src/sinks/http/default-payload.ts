import type { Firing } from '../../core/firing.js';
import type { Evidence } from '../../filters/evidence.js';
import type { JsonValue } from '../../schema/actions.js';

/** JSON has no NaN or ±Infinity: write them as the text the event schema accepts back (`"NaN"`, `"-Infinity"`). */
function jsonNumber(x: number): number | string {
  return Number.isFinite(x) ? x : String(x);
}

function evidenceJson(e: Evidence): JsonValue {
  const { values, prior, ...rest } = e;
  const scalars = Object.entries(rest).flatMap(([key, value]) =>
    value === undefined ? [] : [[key, typeof value === 'number' ? jsonNumber(value) : String(value)]],
  );
  return {
    ...Object.fromEntries(scalars),
    values: values.map(jsonNumber),
    ...(prior !== undefined && {
      prior: { values: prior.values.map(jsonNumber), aggregate: jsonNumber(prior.aggregate) },
    }),
  };
}

/**
 * The body of a SendWebhook without `payload`: what fired, on which event, and why. `time` is the event time in
 * epoch ms; `firing_id` equals the `webhook-id` header, the idempotency key across retries.
 *
 * `{ automation, automation_id, event_type, event_id, firing_id, time, run_id?, transition?, evidence?, artifact?,
 * count?, stall?, summary? }`
 */
export function defaultPayload(firing: Firing): JsonValue {
  return {
    automation: firing.automationName,
    automation_id: firing.automationId,
    event_type: firing.event.type,
    event_id: firing.event.id,
    firing_id: firing.id,
    time: firing.time,
    ...(firing.runId !== undefined && { run_id: firing.runId }),
    ...(firing.transition !== undefined && { transition: { ...firing.transition } }),
    ...(firing.evidence !== undefined && { evidence: evidenceJson(firing.evidence) }),
    ...(firing.artifact !== undefined && { artifact: { ...firing.artifact } as Record<string, JsonValue> }),
    // Plain JSON data already (finite numbers, strings): a parse of its own text is a deep copy.
    ...(firing.count !== undefined && { count: JSON.parse(JSON.stringify(firing.count)) as JsonValue }),
    ...(firing.stall !== undefined && { stall: { ...firing.stall } }),
    ...(firing.summary !== undefined && { summary: JSON.parse(JSON.stringify(firing.summary)) as JsonValue }),
  };
}
