import { z } from 'zod';
import { natsSchema } from '../cluster/cluster-options.js';
import { fromZodIssues } from '../errors/from-zod.js';
import { DefinitionError } from '../index.js';
import { type SecretSource, secretSourceSchema } from './secret-source.js';

/** What a token may do: post events, read automations and history, change automations. */
export const ROLES = ['intake', 'read', 'manage'] as const;
export type Role = (typeof ROLES)[number];

export type TokenConfig = {
  /** The principal's name: in logs and in `authorize`, never the token itself. */
  readonly principal: string;
  readonly token: SecretSource;
  /** @default all three */
  readonly roles: readonly Role[];
  /** When given, the principal reads and changes only automations scoped inside these entities. */
  readonly entities?: readonly string[] | undefined;
};

export type ServerConfig = z.output<typeof serverConfigSchema>;

const limitsSchema = z
  .object({
    /** Largest request body, checked before it is parsed (413). */
    bodyBytes: z
      .number()
      .int()
      .min(1024)
      .max(64 << 20)
      .default(1 << 20),
    /** Requests being handled at once, over all tokens; more get 429. */
    inFlight: z.number().int().min(1).max(100_000).default(256),
    /** A request whose body has not arrived by then is answered 408 and closed. */
    requestTimeoutMs: z.number().int().min(100).max(600_000).default(30_000),
    /** Requests per second per token (a token bucket); more get 429. */
    tokenRate: z.number().positive().max(1_000_000).default(1000),
    tokenBurst: z.number().int().min(1).max(1_000_000).default(2000),
    /** Requests in flight per token; more get 429. */
    tokenConcurrency: z.number().int().min(1).max(100_000).default(64),
  })
  .strict();

const tokenSchema = z
  .object({
    principal: z.string().min(1).max(255),
    token: secretSourceSchema,
    roles: z
      .array(z.enum(ROLES))
      .min(1)
      .default([...ROLES]),
    entities: z.array(z.string().min(1)).min(1).optional(),
  })
  .strict();

/** The `serve` configuration file (JSON); every field also has a flag, which wins over the file. */
export const serverConfigSchema = z
  .object({
    port: z.number().int().min(0).max(65535).default(8787),
    /** @default 127.0.0.1: set 0.0.0.0 to listen on every interface */
    host: z.string().min(1).default('127.0.0.1'),
    /** The folder of the state file (state.json). */
    store: z.string().min(1).default('./ml-automations-state'),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    partitions: z.number().int().min(1).max(1024).default(1),
    /** Bearer tokens; none configured: one from ML_AUTOMATIONS_TOKEN when that is set. */
    tokens: z.array(tokenSchema).optional(),
    /** Integrations by name: `{ "type": "WebhookIntegration", "url": …, "secret": { "env": "HOOK_SECRET" } }`. */
    integrations: z.record(z.string().min(1).max(255), z.looseObject({ type: z.string() })).default({}),
    /** MLflow webhooks: the signing secret (required for POST /mlflow), and where their events are scoped. */
    mlflow: z
      .object({
        secret: secretSourceSchema,
        entity: z.string().min(1).optional(),
        registry: z.string().min(1).optional(),
      })
      .strict()
      .optional(),
    limits: limitsSchema.default(limitsSchema.parse({})),
    /** Cluster mode: events are published to this NATS JetStream cluster and automations pushed to it; no
     * local state (`store`, `partitions` and `integrations` are the workers' business then). */
    cluster: z.object({ nats: natsSchema }).strict().optional(),
  })
  .strict();

/** The configuration, validated; a DefinitionError names each bad field (`tokens.0.token.env`, …). */
export function parseServerConfig(input: unknown): ServerConfig {
  const parsed = serverConfigSchema.safeParse(input, { reportInput: true });
  if (parsed.success) return parsed.data;
  throw new DefinitionError(fromZodIssues(parsed.error.issues), 'server configuration');
}
