import type { z } from 'zod';
import { parseInput } from '../../definitions/parse.js';
import { DefinitionError } from '../../errors/definition-error.js';
import { fromZodIssues } from '../../errors/from-zod.js';
import { type CloudEvent, cloudEventSchema } from '../../schema/cloud-event.js';
import { events } from '../events.js';
import {
  type MlflowEnvelope,
  modelVersionAliasCreatedSchema,
  modelVersionAliasDeletedSchema,
  modelVersionCreatedSchema,
  modelVersionTagDeletedSchema,
  modelVersionTagSetSchema,
  registeredModelCreatedSchema,
  tagLabel,
} from './mlflow-payloads.js';

/** Everything a mapping needs besides the body: where the registry sits in the engine's terms, and the envelope. */
export interface MlflowContext {
  readonly entity: string;
  readonly registry: string;
  readonly source?: string;
  /** Deterministic: the delivery id, so a redelivery is the same event to the engine. */
  readonly id: string;
  readonly time?: string | number;
  readonly aliasVersion?: (model: string, alias: string) => number | undefined;
  readonly tagValue?: (model: string, version: number, key: string) => string | undefined;
}

function payload<T>(schema: z.ZodType<T, unknown>, envelope: MlflowEnvelope): T {
  const parsed = schema.safeParse(envelope.data, { reportInput: true });
  if (!parsed.success) {
    throw new DefinitionError(
      fromZodIssues(parsed.error.issues, ['data']),
      `MLflow ${envelope.entity}.${envelope.action} payload`,
    );
  }
  return parsed.data;
}

const labels = (tags: Readonly<Record<string, string | null>> | null | undefined): string[] =>
  Object.entries(tags ?? {}).map(([key, value]) => tagLabel(key, value));

/**
 * An MLflow event with no exact canonical meaning (an unknown entity/action, or a deletion whose tag value or alias
 * version is unknown) is passed on as the foreign type `mlflow.<entity>.<action>`, for OnEvent subscriptions to see.
 */
function foreign(envelope: MlflowEnvelope, ctx: MlflowContext): CloudEvent {
  const data = envelope.data;
  const fields = data as { readonly name?: unknown; readonly version?: unknown };
  const name = typeof fields.name === 'string' ? fields.name : undefined;
  const version =
    typeof fields.version === 'string' || typeof fields.version === 'number' ? fields.version : undefined;
  const subject =
    name === undefined
      ? undefined
      : `collections/${name}${version === undefined ? '' : `/versions/v${version}`}`;
  const event = {
    specversion: '1.0',
    id: ctx.id,
    source: ctx.source ?? `/${ctx.entity}/registry/${ctx.registry}`,
    type: `mlflow.${envelope.entity}.${envelope.action}`,
    ...(subject !== undefined && { subject }),
    ...(ctx.time !== undefined && { time: ctx.time }),
    data: {
      ...data,
      entity: ctx.entity,
      registry: ctx.registry,
      ...(name !== undefined && { collection: name }),
    },
  };
  return parseInput(cloudEventSchema, event, 'MLflow event') as CloudEvent;
}

/** MLflow webhook envelope → CloudEvents, built with the `events.*` helpers so each is validated. */
export function mapMlflowEvent(envelope: MlflowEnvelope, ctx: MlflowContext): CloudEvent[] {
  const place = { entity: ctx.entity, registry: ctx.registry };
  const envelopeOf = (id: string) => ({
    id,
    ...(ctx.source !== undefined && { source: ctx.source }),
    ...(ctx.time !== undefined && { time: ctx.time }),
  });
  switch (`${envelope.entity}.${envelope.action}`) {
    case 'registered_model.created': {
      // No canonical "collection created": the tags it was created with count as added (as in artifact.created).
      const d = payload(registeredModelCreatedSchema, envelope);
      return Object.entries(d.tags ?? {}).map(([key, value]) =>
        events.collectionTagAdded({
          ...place,
          collection: d.name,
          tag: tagLabel(key, value),
          ...envelopeOf(`${ctx.id}/tags/${key}`),
        }),
      );
    }
    case 'model_version.created': {
      const d = payload(modelVersionCreatedSchema, envelope);
      const tags = labels(d.tags);
      const metadata = {
        ...(d.source != null && { source: d.source }),
        ...(d.run_id != null && { run_id: d.run_id }),
        ...(d.description != null && { description: d.description }),
      };
      return [
        events.artifactCreated({
          ...place,
          collection: d.name,
          version: d.version,
          artifactType: 'model',
          ...(tags.length > 0 && { tags }),
          ...(d.aliases != null && d.aliases.length > 0 && { aliases: d.aliases }),
          ...(Object.keys(metadata).length > 0 && { metadata }),
          ...envelopeOf(ctx.id),
        }),
      ];
    }
    case 'model_version_tag.set': {
      const d = payload(modelVersionTagSetSchema, envelope);
      const tag = tagLabel(d.key, d.value);
      return [
        events.tagAdded({ ...place, collection: d.name, version: d.version, tag, ...envelopeOf(ctx.id) }),
      ];
    }
    case 'model_version_tag.deleted': {
      const d = payload(modelVersionTagDeletedSchema, envelope);
      const value = d.value ?? ctx.tagValue?.(d.name, d.version, d.key);
      if (value === undefined) return [foreign(envelope, ctx)];
      const tag = tagLabel(d.key, value);
      return [
        events.tagRemoved({ ...place, collection: d.name, version: d.version, tag, ...envelopeOf(ctx.id) }),
      ];
    }
    case 'model_version_alias.created': {
      const d = payload(modelVersionAliasCreatedSchema, envelope);
      return [
        events.aliasAdded({
          ...place,
          collection: d.name,
          version: d.version,
          alias: d.alias,
          ...envelopeOf(ctx.id),
        }),
      ];
    }
    case 'model_version_alias.deleted': {
      const d = payload(modelVersionAliasDeletedSchema, envelope);
      const version = d.version ?? ctx.aliasVersion?.(d.name, d.alias);
      if (version === undefined) return [foreign(envelope, ctx)];
      return [
        events.aliasRemoved({ ...place, collection: d.name, version, alias: d.alias, ...envelopeOf(ctx.id) }),
      ];
    }
    default:
      return [foreign(envelope, ctx)];
  }
}
