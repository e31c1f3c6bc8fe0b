import { deepFreeze } from '../../definitions/parse.js';
import type { Issue } from '../../errors/issue.js';
import { NO_REFS, type SecretRefs } from './secret-ref.js';
import { REDACTED } from './webhook-secret.js';

/**
 * Fields shown as they are. Any other field is hidden: a misspelt `secert` still holds a secret, and a
 * `webhookUrl` (Slack's, Teams') is a credential (its path is the token). The rest: where email goes, which repository GitHub
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

/** Nested objects of an integration and the fields of theirs that are shown (SMTP `auth`: the user, not the password). */
const NESTED_PUBLIC: Readonly<Record<string, ReadonlySet<string>>> = { auth: new Set(['user']) };

/** A nested object with its secret fields hidden (or shown as their reference, keyed `outer.inner`). */
function redactedNested(outer: string, value: unknown, refs: SecretRefs): unknown {
  const shown = Object.hasOwn(NESTED_PUBLIC, outer) ? NESTED_PUBLIC[outer] : undefined;
  if (shown === undefined || !isRecord(value)) return refs.fields.get(outer) ?? REDACTED;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      shown.has(k) ? v : (refs.fields.get(`${outer}.${k}`) ?? REDACTED),
    ]),
  );
}

/** The `secrets` record with every value hidden (or shown as its reference) and the names kept. */
function redactedSecrets(value: unknown, refs: SecretRefs): unknown {
  if (!isRecord(value)) return REDACTED;
  return Object.fromEntries(Object.keys(value).map((name) => [name, refs.secrets.get(name) ?? REDACTED]));
}

/**
 * A copy of an integration (or of an input meant to be one) that is safe to print, log or serialise: a secret
 * given as `{ env: NAME }` shows that reference, so the copy can be read back; any other shows `[redacted]`.
 */
export function redactedView(value: unknown, refs: SecretRefs = NO_REFS): unknown {
  if (!isRecord(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [
      key,
      PUBLIC_FIELDS.has(key)
        ? v
        : key === 'secrets'
          ? redactedSecrets(v, refs)
          : redactedNested(key, v, refs),
    ]),
  );
}

/** A value that may be an integration, or a secret given where an integration was expected: safe to show. */
export function redactedInput(value: unknown): unknown {
  return isRecord(value) || value == null ? redactedView(value) : REDACTED;
}

/** An issue about an integration input, with any secret in its value hidden. Messages never hold one. */
export function redactIssue(i: Issue, refs: SecretRefs = NO_REFS): Issue {
  // Its value is the unknown key's name, which the message names too; the value under it is never shown.
  if (i.code === 'unrecognized_keys') return i;
  const [head, name] = i.path;
  let value = i.value;
  if (i.path.length === 0) value = isRecord(value) || value == null ? redactedView(value, refs) : REDACTED;
  else if (head === 'secrets') {
    const ref = typeof name === 'string' ? refs.secrets.get(name) : undefined;
    value = i.path.length === 1 ? redactedSecrets(value, refs) : (ref ?? REDACTED);
  } else if (typeof head !== 'string' || !PUBLIC_FIELDS.has(head))
    value = refs.fields.get(i.path.join('.')) ?? refs.fields.get(String(head)) ?? REDACTED;
  return { ...i, value };
}

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * Give an integration a hidden `toJSON()` and `util.inspect` hook that show the redacted copy, then freeze
 * it. Hidden (non-enumerable), so they are not data: a spread copy (`{ ...integration }`) loses them, and with
 * them the protection, so pass integrations around whole.
 */
export function sealIntegration<T extends object>(integration: T, refs: SecretRefs = NO_REFS): T {
  const view = (): unknown => redactedView(integration, refs);
  Object.defineProperty(integration, 'toJSON', { value: view, enumerable: false });
  Object.defineProperty(integration, INSPECT, { value: view, enumerable: false });
  return deepFreeze(integration);
}
