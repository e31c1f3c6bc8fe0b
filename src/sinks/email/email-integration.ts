import { z } from 'zod';
import { sealIntegration } from '../http/redaction.js';
import type { SecretInput } from '../http/secret-ref.js';
import { isIntegrationOf } from '../integration-guard.js';
import { parseIntegration } from '../parse-integration.js';

/** An SMTP server and the envelope every SendEmail through it uses. `auth.pass` is a secret. */
export type EmailIntegration = {
  readonly type: 'EmailIntegration';
  readonly host: string;
  readonly port: number;
  /** Implicit TLS from the first byte (port 465). */
  readonly secure: boolean;
  /** STARTTLS required before AUTH and the message (port 587); `false` only for a plain relay without auth. */
  readonly starttls: boolean;
  readonly auth?: { readonly user: string; readonly pass: string };
  readonly from: string;
  readonly to: readonly string[];
  /** `ca`: a PEM certificate to trust (a private CA); `rejectUnauthorized: false` trusts any (tests only). */
  readonly tls?: {
    readonly ca?: string;
    readonly rejectUnauthorized?: boolean;
    readonly servername?: string;
  };
};

export type EmailIntegrationInput = {
  readonly host: string;
  readonly port: number;
  readonly secure?: boolean;
  readonly starttls?: boolean;
  /** `pass` may be `{ env: 'SMTP_PASSWORD' }`, read now from the environment; JSON then shows the reference. */
  readonly auth?: { readonly user: string; readonly pass: SecretInput };
  readonly from: string;
  readonly to: readonly string[];
  readonly tls?: {
    readonly ca?: string;
    readonly rejectUnauthorized?: boolean;
    readonly servername?: string;
  };
};

/** One address, `a@b.c` or `Name <a@b.c>`: no line breaks, which would let a value add headers. */
const address = z
  .string()
  .min(3)
  .max(320)
  .refine((a) => a.includes('@') && !/[\r\n\0]/.test(a), {
    message: 'expected an email address (name@example.com or Name <name@example.com>)',
    params: { code: 'invalid_format' },
  });

const hostSchema = z
  .string()
  .min(1)
  .max(253)
  .refine((h) => /^[A-Za-z0-9.:[\]-]+$/.test(h), {
    message: 'expected a host name or IP address (no scheme, no port)',
    params: { code: 'invalid_format' },
  });

const emailSchema = z
  .strictObject({
    type: z.literal('EmailIntegration').optional(),
    host: hostSchema,
    port: z.number().int().min(1).max(65_535),
    secure: z.boolean().optional(),
    starttls: z.boolean().optional(),
    auth: z.strictObject({ user: z.string().min(1).max(1024), pass: z.string().min(1).max(4096) }).optional(),
    from: address,
    to: z.array(address).min(1).max(100),
    tls: z
      .strictObject({
        ca: z.string().min(1).max(65_536).optional(),
        rejectUnauthorized: z.boolean().optional(),
        servername: hostSchema.optional(),
      })
      .optional(),
  })
  .superRefine((e, ctx) => {
    if (e.secure === true && e.starttls === true) {
      ctx.addIssue({
        code: 'custom',
        path: ['starttls'],
        message:
          'secure is TLS from the start (port 465); starttls upgrades a plain connection (587): choose one',
        input: e.starttls,
        params: { code: 'invalid_value' },
      });
    }
    if (e.auth !== undefined && e.secure !== true && e.starttls === false) {
      ctx.addIssue({
        code: 'custom',
        path: ['starttls'],
        message: 'credentials are never sent over a plain connection: use starttls or secure with auth',
        input: e.starttls,
        params: { code: 'invalid_value' },
      });
    }
  });

/**
 * An SMTP server to send email through. TLS is the default: STARTTLS is required unless `secure` (implicit
 * TLS) is set; `toJSON()` and `util.inspect` show `auth.user` and hide `auth.pass` (or show its `{ env }`).
 */
export function EmailIntegration(input: EmailIntegrationInput): EmailIntegration {
  const { value: e, refs } = parseIntegration(emailSchema, input, 'EmailIntegration', ['auth.pass']);
  const secure = e.secure ?? false;
  return sealIntegration(
    {
      type: 'EmailIntegration',
      host: e.host,
      port: e.port,
      secure,
      starttls: e.starttls ?? !secure,
      ...(e.auth !== undefined && { auth: { user: e.auth.user, pass: e.auth.pass } }),
      from: e.from,
      to: [...e.to],
      ...(e.tls !== undefined && { tls: tlsOf(e.tls) }),
    },
    refs,
  );
}

function tlsOf(t: {
  ca?: string | undefined;
  rejectUnauthorized?: boolean | undefined;
  servername?: string | undefined;
}) {
  return {
    ...(t.ca !== undefined && { ca: t.ca }),
    ...(t.rejectUnauthorized !== undefined && { rejectUnauthorized: t.rejectUnauthorized }),
    ...(t.servername !== undefined && { servername: t.servername }),
  };
}

export function isEmailIntegration(value: unknown): value is EmailIntegration {
  return isIntegrationOf(value, 'EmailIntegration', 'host');
}
