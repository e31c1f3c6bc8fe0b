import { deepFreeze } from '../../definitions/parse.js';
import type { Issue } from '../../errors/issue.js';
import { REDACTED } from './webhook-secret.js';

/**
 * Fields shown as they are. Any other field is hidden: a misspelt `secert` still holds a secret, and a
 * `webhookUrl` (Slack's, Teams') is a credential. The rest: where email goes, which repository GitHub
 * dispatches to, how a webhook is signed.
 */
const PUBLIC_FIELDS: ReadonlySet<string> = new Set([
  'type',
  'url',
  'headers',
  'signing',
  'host',
  'port',
  'secure',
  'starttls',
  'tls',
  'from',
  'to',
  'owner',
  'repo',
  'apiUrl',
]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The `secrets` record with every value hidden and the names kept (names say which secrets are set). */
function redactedSecrets(value: unknown): unknown {
  if (!isRecord(value)) return REDACTED;
  return Object.fromEntries(Object.keys(value).map((name) => [name, REDACTED]));
}

/** A copy of an integration (or of an input meant to be one) that is safe to print, log or serialise. */
export function redactedView(value: unknown): unknown {
  if (!isRecord(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [
      key,
      PUBLIC_FIELDS.has(key) ? v : key === 'secrets' ? redactedSecrets(v) : REDACTED,
    ]),
  );
}

/** An issue about an integration input, with any secret in its value hidden. Messages never hold one. */
export function redactIssue(i: Issue): Issue {
  const [head] = i.path;
  let value = i.value;
  if (i.path.length === 0) value = isRecord(value) || value == null ? redactedView(value) : REDACTED;
  else if (head === 'secrets') value = i.path.length === 1 ? redactedSecrets(value) : REDACTED;
  else if (typeof head !== 'string' || !PUBLIC_FIELDS.has(head)) value = REDACTED;
  return { ...i, value };
}

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * Give an integration a hidden `toJSON()` and `util.inspect` hook that show the redacted copy, then freeze
 * it. Hidden (non-enumerable), so they are not data: a spread copy (`{ ...integration }`) loses them, and with
 * them the protection, so pass integrations around whole.
 */
export function sealIntegration<T extends object>(integration: T): T {
  const view = (): unknown => redactedView(integration);
  Object.defineProperty(integration, 'toJSON', { value: view, enumerable: false });
  Object.defineProperty(integration, INSPECT, { value: view, enumerable: false });
  return deepFreeze(integration);
}
