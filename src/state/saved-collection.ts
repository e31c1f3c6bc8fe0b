import { z } from 'zod';
import { artifactMetadataSchema } from '../schema/artifact-metadata.js';

const index = z.number().int().min(0);
const text = z.string().max(4096);

const place = z.union([
  z.object({ entity: text, project: text, collection: text }),
  z.object({ entity: text, registry: text, collection: text }),
]);

/** One collection's state as a snapshot keeps it: versions, where each alias sits, tags, metadata. */
export const savedCollectionStateSchema = z.object({
  versions: z.array(index),
  aliases: z.array(z.tuple([z.string(), index])),
  tags: z.array(z.tuple([index, z.array(z.string())])),
  collectionTags: z.array(z.string()),
  // Added without a version bump: a snapshot from before it has none, and reads as no metadata known.
  metadata: z.array(z.tuple([index, artifactMetadataSchema])).optional(),
});
export type SavedCollectionState = z.output<typeof savedCollectionStateSchema>;

/** A collection with its place. */
export const savedCollectionSchema = savedCollectionStateSchema.extend({ place });
export type SavedCollection = z.output<typeof savedCollectionSchema>;
