import { z } from 'zod';
import { type Issue, issue } from '../../errors/issue.js';
import { renderTemplate, TEMPLATE_VARIABLES } from './templates.js';
import { checkUrl } from './url-policy.js';
import { webhookSecretProblem } from './webhook-secret.js';

const MAX_ENTRIES = 100;

/**
 * An absolute http(s) URL without credentials; a `secret` one is never echoed in an issue. Where it may point
 * (metadata hosts, `allowHosts`) is the delivery policy's call, judged by the engine or deliverer it is given to,
 * so that `allowPrivateMetadata` there can allow what a factory would otherwise refuse.
 */
function urlSchemaOf(secret: boolean) {
  return z
    .string()
    .min(1)
    .max(2048)
    .superRefine((url, ctx) => {
      for (const i of checkUrl(url, { allowPrivateMetadata: true }, [], { secret })) {
        ctx.addIssue({ code: 'custom', message: i.message, input: i.value, params: { code: i.code } });
      }
    });
}

/** An absolute http(s) URL without credentials (the host is judged by the delivery policy). */
export const urlSchema = urlSchemaOf(false);

/** The same for a URL that is itself a credential (a Slack webhook): issues show `[redacted]` for it. */
export const secretUrlSchema = urlSchemaOf(true);

/** Messages say what is wrong and never repeat the secret; the factory also redacts the issue's value. */
export const webhookSecretSchema = z.string().superRefine((secret, ctx) => {
  const problem = webhookSecretProblem(secret);
  if (problem !== undefined) {
    ctx.addIssue({ code: 'custom', message: problem, input: secret, params: { code: 'invalid_format' } });
  }
});

/** W&B's webhook secret: free text, used as the HMAC key as it is (so it is never trimmed or decoded). */
export const wandbSecretSchema = z.string().min(1).max(4096);

/** Visible ASCII only: a bearer token goes into a header, where a space or a line break would split it. */
export const accessTokenSchema = z
  .string()
  .min(1)
  .max(4096)
  .refine((t) => /^[\x21-\x7e]+$/.test(t), {
    message: 'expected visible ASCII characters only',
    params: { code: 'invalid_format' },
  });

/** Starts with a letter, so `__proto__` can never be a name; no `.`, so no clash with `artifact_metadata.*`. */
const SECRET_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const VARIABLES: ReadonlySet<string> = new Set(TEMPLATE_VARIABLES);

export const secretsSchema = z
  .record(
    z
      .string()
      .max(255)
      .regex(SECRET_NAME, { message: 'a secret name is a letter, then letters, digits or _' })
      .refine((name) => !VARIABLES.has(name), {
        message: 'a secret cannot take the name of a template variable',
        params: { code: 'invalid_value' },
      }),
    z.string().max(65_536),
  )
  .refine((s) => Object.keys(s).length <= MAX_ENTRIES, {
    message: `at most ${MAX_ENTRIES} secrets`,
    params: { code: 'too_big' },
  });

/** RFC 9110 token characters: what a header name may hold. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Hop-by-hop headers, ones the transport sets, and ones we set: none of them may be overridden. */
const RESERVED: ReadonlySet<string> = new Set([
  'authorization',
  'connection',
  'content-length',
  'content-type',
  'expect',
  'host',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** Field-value characters (RFC 9110 §5.5): tab, space, visible ASCII and obs-text; never CR, LF or NUL. */
function validHeaderValue(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (!(c === 0x09 || (c >= 0x20 && c <= 0x7e) || (c >= 0x80 && c <= 0xff))) return false;
  }
  return true;
}

/** Header names case-insensitive (stored lower-case); values may be `${SECRET_NAME}` templates. Paths are relative. */
export function headerIssues(
  headers: Readonly<Record<string, string>>,
  secrets: Readonly<Record<string, string>>,
): Issue[] {
  const issues: Issue[] = [];
  const names = Object.keys(headers);
  if (names.length > MAX_ENTRIES)
    issues.push(issue('too_big', [], `at most ${MAX_ENTRIES} headers`, names.length));
  const seen = new Set<string>();
  for (const name of names) {
    const lower = name.toLowerCase();
    const value = headers[name] ?? '';
    if (!TOKEN.test(name)) {
      issues.push(issue('invalid_format', [name], 'not a valid header name', name));
    } else if (RESERVED.has(lower) || lower.startsWith('webhook-')) {
      issues.push(issue('invalid_value', [name], `${lower} is set by the engine or the transport`, name));
    } else if (seen.has(lower)) {
      issues.push(issue('invalid_value', [name], 'the same header twice (names are case-insensitive)', name));
    }
    seen.add(lower);
    // Checked after secrets are filled in, so a secret cannot smuggle a line break into the request.
    if (!validHeaderValue(renderTemplate(value, {}, secrets))) {
      issues.push(issue('invalid_format', [name], 'a header value cannot hold control characters', value));
    }
  }
  return issues;
}

export const headersSchema = z.record(z.string(), z.string().max(8192));
