import { z } from 'zod';

/** The body MLflow POSTs (mlflow/webhooks/delivery.py): `workspace` only when MLflow runs with workspaces. */
export const mlflowEnvelopeSchema = z.looseObject({
  entity: z.string().min(1).max(255),
  action: z.string().min(1).max(255),
  timestamp: z.iso.datetime({ offset: true, local: false }).optional(),
  data: z.record(z.string(), z.unknown()),
  workspace: z.string().min(1).max(255).nullish(),
});
export type MlflowEnvelope = z.output<typeof mlflowEnvelopeSchema>;

/** MLflow sends versions as decimal text ("1"); the engine counts versions as integers. */
const version = z
  .union([
    z.string().regex(/^\d{1,15}$/, { message: 'expected a decimal version number' }),
    z.number().int().min(0),
  ])
  .transform((v) => Number(v));
const name = z.string().min(1).max(255);
/** Tag values are strings; a null value reads as the empty string. */
const tags = z.record(z.string(), z.string().nullable()).nullish();
const note = z.string().nullish();

/** Payload classes of mlflow/webhooks/types.py; extra fields are ignored. */
export const registeredModelCreatedSchema = z.object({ name, tags, description: note });

export const modelVersionCreatedSchema = z.object({
  name,
  version,
  source: note,
  run_id: note,
  tags,
  description: note,
  /** Not sent by MLflow today; read when present. */
  aliases: z.array(z.string()).nullish(),
});

export const modelVersionTagSetSchema = z.object({
  name,
  version,
  key: z.string().min(1),
  value: z.string().nullable(),
});

/** MLflow does not send the deleted tag's value; read when present. */
export const modelVersionTagDeletedSchema = z.object({ name, version, key: z.string().min(1), value: note });

export const modelVersionAliasCreatedSchema = z.object({ name, alias: z.string().min(1), version });

/** MLflow does not send the version the alias left; read when present. */
export const modelVersionAliasDeletedSchema = z.object({
  name,
  alias: z.string().min(1),
  version: version.optional(),
});

/** A model-version tag as the engine's single-string tag: `key=value`, or `key` alone for an empty value. */
export function tagLabel(key: string, value: string | null | undefined): string {
  return value === null || value === undefined || value === '' ? key : `${key}=${value}`;
}
