import type { CollectionPlace } from '../schema/artifact-events.js';
import type { ArtifactMetadata } from '../schema/artifact-metadata.js';

/** The version's metadata as the collection knows it from `artifact.created`, when it knows any. */
type Known = { readonly metadata?: ArtifactMetadata };

/** What an artifact event changed. One event can make several changes (a new version, `latest`, its aliases, its tags). */
export type ArtifactChange =
  | ({
      readonly kind: 'created' | 'linked' | 'unlinked';
      readonly version: number;
      readonly aliases: readonly string[];
    } & Known)
  | ({
      readonly kind: 'alias-added' | 'alias-removed';
      readonly version: number;
      readonly alias: string;
    } & Known)
  | ({ readonly kind: 'tag-added' | 'tag-removed'; readonly version: number; readonly tag: string } & Known)
  | { readonly kind: 'collection-tag-added' | 'collection-tag-removed'; readonly tag: string };

/** What an artifact firing says about where it happened and what changed. */
export type ArtifactFacts = CollectionPlace & {
  readonly version?: number;
  /** The alias that matched (or was added), for alias filters and alias triggers. */
  readonly alias?: string;
  readonly tag?: string;
  /** The version's aliases after the change (created, linked) or before it (unlinked). */
  readonly aliases?: readonly string[];
  /** The version's metadata from its `artifact.created`, when the engine saw one (on alias, tag, link events too). */
  readonly metadata?: ArtifactMetadata;
};
