import { type Issue, type IssuePath, issue } from '../../errors/issue.js';
import { REDACTED } from './webhook-secret.js';

/**
 * A secret named, not given: the environment variable that holds it, read when the integration is made.
 * An integration's JSON shows the reference where its value would be, so exported definitions carry no secret.
 * @example SlackIntegration({ webhookUrl: { env: 'SLACK_WEBHOOK_URL' } })
 */
export type SecretRef = { readonly env: string };

/** A secret field: the value itself, or a reference to where it is. */
export type SecretInput = string | SecretRef;

/** Where each secret field's value came from, when it came from a reference: by field (`auth.pass` for a nested one), and `secrets` by name. */
export type SecretRefs = {
  readonly fields: ReadonlyMap<string, SecretRef>;
  readonly secrets: ReadonlyMap<string, SecretRef>;
};

export const NO_REFS: SecretRefs = { fields: new Map(), secrets: new Map() };

/** A POSIX-style variable name: letters, digits and `_`, not starting with a digit. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,254}$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `{ env: NAME }` and nothing else. */
export function isSecretRef(value: unknown): value is SecretRef {
  return (
    isRecord(value) &&
    Object.keys(value).length === 1 &&
    typeof value['env'] === 'string' &&
    ENV_NAME.test(value['env'])
  );
}

type Resolved = { readonly value: unknown; readonly ref?: SecretRef; readonly issue?: Issue };

function resolveOne(value: unknown, path: IssuePath, env: NodeJS.ProcessEnv): Resolved {
  if (value === REDACTED) {
    const message = 'a redacted placeholder, not a secret: give the value, or { env: NAME }';
    return { value, issue: issue('invalid_value', path, message, REDACTED) };
  }
  if (!isRecord(value)) return { value };
  if (!isSecretRef(value)) {
    const name = value['env'];
    // The object may hold the secret under another key: show it only when it is a reference with a bad name.
    const shown = Object.keys(value).length === 1 && typeof name === 'string' ? { env: name } : REDACTED;
    const message = 'expected the secret as a string, or { env: NAME } naming an environment variable';
    return { value, issue: issue('invalid_type', path, message, shown) };
  }
  const ref: SecretRef = Object.freeze({ env: value.env });
  const resolved = env[ref.env];
  if (resolved === undefined) {
    const message = `the environment variable ${ref.env} is not set`;
    return { value, issue: issue('invalid_value', path, message, ref) };
  }
  return { value: resolved, ref };
}

/**
 * A copy of an integration's input with every reference in `fields` (and in `secrets`) replaced by its value,
 * the references it followed, and the issues of those it could not. The input's own properties are read once.
 */
export function resolveSecretRefs(
  input: unknown,
  fields: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): { readonly input: unknown; readonly refs: SecretRefs; readonly issues: readonly Issue[] } {
  if (!isRecord(input)) return { input, refs: NO_REFS, issues: [] };
  const copy: Record<string, unknown> = { ...input };
  const byField = new Map<string, SecretRef>();
  const byName = new Map<string, SecretRef>();
  const issues: Issue[] = [];
  const apply = (
    target: Record<string, unknown>,
    key: string,
    path: IssuePath,
    refs: Map<string, SecretRef>,
    refKey = key,
  ) => {
    const r = resolveOne(target[key], path, env);
    // Defined, not assigned: a key named `__proto__` stays a key (the schema then refuses it).
    Object.defineProperty(target, key, {
      value: r.value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
    if (r.ref !== undefined) refs.set(refKey, r.ref);
    if (r.issue !== undefined) issues.push(r.issue);
  };
  for (const field of fields) {
    // `auth.pass`: a secret inside a nested object (SMTP credentials), copied before it is resolved.
    const [outer, inner] = field.split('.', 2) as [string, string | undefined];
    if (inner === undefined) {
      if (Object.hasOwn(copy, field)) apply(copy, field, [field], byField);
      continue;
    }
    const nested = Object.hasOwn(copy, outer) ? copy[outer] : undefined;
    if (!isRecord(nested) || !Object.hasOwn(nested, inner)) continue;
    const inside: Record<string, unknown> = { ...nested };
    apply(inside, inner, [outer, inner], byField, field);
    copy[outer] = inside;
  }
  const secrets = copy['secrets'];
  if (isRecord(secrets)) {
    const named: Record<string, unknown> = { ...secrets };
    for (const name of Object.keys(named)) apply(named, name, ['secrets', name], byName);
    copy['secrets'] = named;
  }
  return { input: copy, refs: { fields: byField, secrets: byName }, issues };
}
