import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Clock } from '../../clock/clock.js';
import { systemClock } from '../../clock/system-clock.js';
import { parseInput } from '../../definitions/parse.js';
import { DefinitionError } from '../../errors/definition-error.js';
import { issue } from '../../errors/issue.js';
import type { CloudEvent } from '../../schema/cloud-event.js';
import { nameSchema } from '../../schema/names.js';
import { type HttpHeaders, readHeaders } from './http-headers.js';
import { mapMlflowEvent } from './mlflow-mapping.js';
import { mlflowEnvelopeSchema } from './mlflow-payloads.js';
import { verifyMlflowSignature } from './mlflow-signature.js';
import { jsonBody } from './structured-cloud-event.js';

export interface FromMlflowWebhookOptions {
  /** The entity the registry belongs to. @default the payload's `workspace`, else 'mlflow' */
  readonly entity?: string;
  /** The registry name in scopes. @default 'model-registry' */
  readonly registry?: string;
  /** CloudEvent source. @default `/<entity>/registry/<registry>` */
  readonly source?: string;
  /** Where "now" comes from for the timestamp check. @default systemClock */
  readonly clock?: Clock;
  /** Oldest (or furthest ahead) X-MLflow-Timestamp accepted, in seconds. @default 300 */
  readonly toleranceSeconds?: number;
  /** The version an alias was on: MLflow's alias-deleted payload does not say. */
  readonly aliasVersion?: (model: string, alias: string) => number | undefined;
  /** The value a tag had: MLflow's tag-deleted payload does not say. */
  readonly tagValue?: (model: string, version: number, key: string) => string | undefined;
}

const fn = z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', {
  message: 'expected a function',
});
const inputSchema = z.object({
  body: z.union([z.string(), z.instanceof(Uint8Array), z.record(z.string(), z.unknown())]),
  // An empty secret is a missing configuration, never "skip verification".
  secret: z.string().min(1).optional(),
  options: z
    .object({
      entity: nameSchema.optional(),
      registry: nameSchema.optional(),
      source: z.string().min(1).max(4096).optional(),
      clock: z.custom<Clock>((v) => typeof (v as { now?: unknown } | null)?.now === 'function').optional(),
      toleranceSeconds: z.number().int().min(0).max(31_536_000).optional(),
      aliasVersion: fn.optional(),
      tagValue: fn.optional(),
    })
    .optional(),
});

/**
 * MLflow model-registry webhook → canonical CloudEvents (artifact.created, artifact.tag.*, artifact.alias.*,
 * collection.tag.added), ids taken from X-MLflow-Delivery-Id so redeliveries deduplicate. With a secret, the
 * `v1,<base64>` HMAC-SHA256 signature and the timestamp are verified first (WebhookSignatureError); the body must
 * then be the raw text or bytes exactly as received. Bad input: DefinitionError naming the field.
 */
export function fromMlflowWebhook(
  body: string | Uint8Array | { readonly [key: string]: unknown },
  headers?: HttpHeaders,
  secret?: string,
  options: FromMlflowWebhookOptions = {},
): CloudEvent[] {
  parseInput(inputSchema, { body, secret, options }, 'fromMlflowWebhook input');
  const h = headers === undefined ? new Map<string, string>() : readHeaders(headers, 'MLflow webhook');
  const raw =
    typeof body === 'string' ? Buffer.from(body, 'utf8') : body instanceof Uint8Array ? body : undefined;
  if (secret !== undefined) {
    if (raw === undefined) {
      const message =
        'with a secret, pass the raw body (text or bytes) as received: the signature covers those bytes';
      throw new DefinitionError([issue('invalid_type', ['body'], message, body)], 'MLflow webhook');
    }
    const now = (options.clock ?? systemClock).now();
    verifyMlflowSignature(raw, h, secret, now, options.toleranceSeconds ?? 300);
  }
  let json: unknown = body;
  if (raw !== undefined) {
    const parsed = jsonBody(raw, ['body']);
    if (!parsed.ok) throw new DefinitionError(parsed.issues, 'MLflow webhook body');
    json = parsed.value;
  }
  const envelope = parseInput(mlflowEnvelopeSchema, json, 'MLflow webhook body');
  const deliveryId = h.get('x-mlflow-delivery-id')?.trim();
  const timestamp = h.get('x-mlflow-timestamp')?.trim();
  return mapMlflowEvent(envelope, {
    entity: options.entity ?? envelope.workspace ?? 'mlflow',
    registry: options.registry ?? 'model-registry',
    ...(options.source !== undefined && { source: options.source }),
    // Without a delivery id, the same bytes still give the same id: MLflow's body carries a microsecond timestamp.
    id: deliveryId
      ? deliveryId
      : `sha256:${createHash('sha256')
          .update(raw ?? JSON.stringify(body))
          .digest('hex')}`,
    ...(envelope.timestamp !== undefined
      ? { time: envelope.timestamp }
      : timestamp !== undefined && /^\d{1,12}$/.test(timestamp) && { time: Number(timestamp) * 1000 }),
    ...(options.aliasVersion !== undefined && { aliasVersion: options.aliasVersion }),
    ...(options.tagValue !== undefined && { tagValue: options.tagValue }),
  });
}
