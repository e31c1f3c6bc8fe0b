import type { z } from 'zod';
import { parseDefinition } from '../definitions/parse.js';
import {
  ALIAS_ADDED,
  ALIAS_REMOVED,
  ARTIFACT_CREATED,
  ARTIFACT_EVENT_SCHEMAS,
  ARTIFACT_LINKED,
  ARTIFACT_UNLINKED,
  type ArtifactEventData,
  type ArtifactEventType,
  COLLECTION_TAG_ADDED,
  COLLECTION_TAG_REMOVED,
  TAG_ADDED,
  TAG_REMOVED,
} from '../schema/artifact-events.js';
import type { CloudEvent } from '../schema/cloud-event.js';
import { dataOf, type EnvelopeInput, envelope, helperInput } from './run-events.js';

/** Input of an artifact helper: the data, with `project` or `registry`, plus optional envelope fields. */
export type ArtifactEventInput<T extends ArtifactEventType> = Omit<
  ArtifactEventData[T],
  'project' | 'registry'
> &
  (
    | { readonly project: string; readonly registry?: never }
    | { readonly registry: string; readonly project?: never }
  ) &
  // A linked event's `source` is the artifact it came from; its CloudEvent source is then the default.
  Omit<EnvelopeInput, keyof ArtifactEventData[T]>;

function builder<T extends ArtifactEventType>(type: T) {
  return (given: ArtifactEventInput<T>): CloudEvent<ArtifactEventData[T]> => {
    const input = helperInput(given, `${type} event`);
    const schema = ARTIFACT_EVENT_SCHEMAS[type] as unknown as z.ZodType<ArtifactEventData[T], unknown>;
    const data = parseDefinition(schema, dataOf(input), `${type} event`);
    const where = 'registry' in data ? `registry/${data.registry}` : data.project;
    const envelopeInput = input as EnvelopeInput;
    const subject =
      envelopeInput.subject ??
      `collections/${data.collection}${'version' in data ? `/versions/v${data.version}` : ''}`;
    return { ...envelope(envelopeInput, type, data.entity, where, `${type} event`), subject, data };
  };
}

export const artifactEvents = {
  artifactCreated: builder(ARTIFACT_CREATED),
  artifactLinked: builder(ARTIFACT_LINKED),
  artifactUnlinked: builder(ARTIFACT_UNLINKED),
  aliasAdded: builder(ALIAS_ADDED),
  aliasRemoved: builder(ALIAS_REMOVED),
  tagAdded: builder(TAG_ADDED),
  tagRemoved: builder(TAG_REMOVED),
  collectionTagAdded: builder(COLLECTION_TAG_ADDED),
  collectionTagRemoved: builder(COLLECTION_TAG_REMOVED),
};
