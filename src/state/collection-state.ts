import {
  ALIAS_ADDED,
  ALIAS_REMOVED,
  ARTIFACT_CREATED,
  ARTIFACT_LINKED,
  ARTIFACT_UNLINKED,
  type ArtifactEventData,
  type ArtifactEventType,
  COLLECTION_TAG_ADDED,
  COLLECTION_TAG_REMOVED,
  TAG_ADDED,
  TAG_REMOVED,
} from '../schema/artifact-events.js';
import type { ArtifactMetadata } from '../schema/artifact-metadata.js';
import type { ArtifactChange } from './artifact-change.js';
import type { SavedCollectionState } from './saved-collection.js';

export type { ArtifactChange };

export const LATEST = 'latest';

/** Metadata is frozen, so its JSON length, for stats(), is measured once per object. */
const SIZES = new WeakMap<ArtifactMetadata, number>();
function jsonLength(metadata: ArtifactMetadata): number {
  let n = SIZES.get(metadata);
  if (n === undefined) {
    n = JSON.stringify(metadata).length;
    SIZES.set(metadata, n);
  }
  return n;
}

/**
 * One collection's state, so that events mean changes: an alias sits on one version at a time and moves; tags
 * are shared by many versions; adding what is already there, or removing what is not, changes nothing.
 */
export class CollectionState {
  /** Versions beyond this many are forgotten oldest first (see Retention). */
  maxVersions = Number.POSITIVE_INFINITY;
  /** Versions forgotten so far, for stats(). */
  evicted = 0;
  readonly versions = new Set<number>();
  /** alias → the version holding it. */
  readonly aliases = new Map<string, number>();
  /** version → its tags. */
  readonly tags = new Map<number, Set<string>>();
  readonly collectionTags = new Set<string>();
  /**
   * version → its metadata, from the latest `artifact.created` that carried some; frozen, shared with firings.
   * Unlinking keeps it (a re-linked version is the same artifact); at most `maxVersions` entries, oldest out first.
   */
  readonly metadata = new Map<number, ArtifactMetadata>();
  /** The JSON length of all of it, kept as versions come and go. */
  metadataBytes = 0;

  save(): SavedCollectionState {
    return {
      versions: [...this.versions],
      aliases: [...this.aliases],
      tags: [...this.tags].map(([v, tags]): [number, string[]] => [v, [...tags]]),
      collectionTags: [...this.collectionTags],
      metadata: [...this.metadata],
    };
  }

  static load(saved: SavedCollectionState): CollectionState {
    const state = new CollectionState();
    for (const v of saved.versions) state.versions.add(v);
    for (const [alias, v] of saved.aliases) state.aliases.set(alias, v);
    for (const [v, tags] of saved.tags) state.tags.set(v, new Set(tags));
    for (const tag of saved.collectionTags) state.collectionTags.add(tag);
    for (const [v, metadata] of saved.metadata ?? []) state.#setMetadata(v, metadata);
    return state;
  }

  aliasesOf(version: number): string[] {
    const out: string[] = [];
    for (const [alias, v] of this.aliases) if (v === version) out.push(alias);
    return out;
  }

  apply<T extends ArtifactEventType>(type: T, data: ArtifactEventData[T]): ArtifactChange[] {
    const changes: ArtifactChange[] = [];
    switch (type) {
      case ARTIFACT_CREATED:
      case ARTIFACT_LINKED: {
        const d = data as ArtifactEventData['artifact.created'];
        // Metadata first, so that every change this event makes (`latest` included) carries it.
        const fresh = this.#addVersion(d.version, changes, d.metadata);
        if (!fresh && d.metadata !== undefined) this.#setMetadata(d.version, d.metadata);
        for (const alias of d.aliases ?? []) this.#addAlias(d.version, alias, changes);
        for (const tag of d.tags ?? []) this.#addTag(d.version, tag, changes);
        if (fresh)
          changes.unshift({
            kind: type === ARTIFACT_CREATED ? 'created' : 'linked',
            version: d.version,
            aliases: this.aliasesOf(d.version),
            ...this.#known(d.version),
          });
        break;
      }
      case ARTIFACT_UNLINKED: {
        const d = data as ArtifactEventData['artifact.unlinked'];
        if (this.versions.has(d.version))
          changes.push(this.#removeVersion(d.version, d.aliases ?? [], changes));
        break;
      }
      case ALIAS_ADDED: {
        const d = data as ArtifactEventData['artifact.alias.added'];
        this.versions.add(d.version);
        this.#addAlias(d.version, d.alias, changes);
        break;
      }
      case ALIAS_REMOVED: {
        const d = data as ArtifactEventData['artifact.alias.removed'];
        if (this.aliases.get(d.alias) === d.version) {
          this.aliases.delete(d.alias);
          changes.push({
            kind: 'alias-removed',
            version: d.version,
            alias: d.alias,
            ...this.#known(d.version),
          });
        }
        break;
      }
      case TAG_ADDED: {
        const d = data as ArtifactEventData['artifact.tag.added'];
        this.versions.add(d.version);
        this.#addTag(d.version, d.tag, changes);
        break;
      }
      case TAG_REMOVED: {
        const d = data as ArtifactEventData['artifact.tag.removed'];
        if (this.tags.get(d.version)?.delete(d.tag) === true)
          changes.push({ kind: 'tag-removed', version: d.version, tag: d.tag, ...this.#known(d.version) });
        break;
      }
      case COLLECTION_TAG_ADDED:
      case COLLECTION_TAG_REMOVED: {
        const { tag } = data as ArtifactEventData['collection.tag.added'];
        const adding = type === COLLECTION_TAG_ADDED;
        if (this.collectionTags.has(tag) !== adding) {
          if (adding) this.collectionTags.add(tag);
          else this.collectionTags.delete(tag);
          changes.push({ kind: adding ? 'collection-tag-added' : 'collection-tag-removed', tag });
        }
        break;
      }
    }
    return changes;
  }

  #setMetadata(version: number, metadata: ArtifactMetadata): void {
    this.#dropMetadata(version);
    this.metadata.set(version, metadata);
    this.metadataBytes += jsonLength(metadata);
    // Past the bound, the oldest unlinked version's goes: held versions are at most maxVersions themselves.
    if (this.metadata.size > this.maxVersions) {
      let oldest = Number.POSITIVE_INFINITY;
      for (const v of this.metadata.keys()) if (v < oldest && !this.versions.has(v)) oldest = v;
      this.#dropMetadata(oldest);
    }
  }

  #dropMetadata(version: number): void {
    const old = this.metadata.get(version);
    if (old === undefined) return;
    this.metadata.delete(version);
    this.metadataBytes -= jsonLength(old);
  }

  /** The version's metadata, as a change carries it: nothing when none is known. */
  #known(version: number): { readonly metadata: ArtifactMetadata } | undefined {
    const metadata = this.metadata.get(version);
    return metadata === undefined ? undefined : { metadata };
  }

  /** A version new to the collection takes `latest` when it is the newest one, and that counts as `latest` added. */
  #addVersion(version: number, changes: ArtifactChange[], metadata?: ArtifactMetadata): boolean {
    if (this.versions.has(version)) return false;
    const newest = Math.max(-1, ...this.versions);
    this.versions.add(version);
    if (metadata !== undefined) this.#setMetadata(version, metadata);
    if (version > newest) this.#addAlias(version, LATEST, changes);
    if (this.versions.size > this.maxVersions) this.#forget(Math.min(...this.versions));
    return true;
  }

  /** Bounded memory: the oldest version goes with its aliases and tags, and no change is reported for it. */
  #forget(version: number): void {
    this.versions.delete(version);
    this.tags.delete(version);
    this.#dropMetadata(version);
    for (const alias of this.aliasesOf(version)) this.aliases.delete(alias);
    this.evicted += 1;
  }

  #addAlias(version: number, alias: string, changes: ArtifactChange[]): void {
    if (this.aliases.get(alias) === version) return;
    this.aliases.set(alias, version);
    changes.push({ kind: 'alias-added', version, alias, ...this.#known(version) });
  }

  #addTag(version: number, tag: string, changes: ArtifactChange[]): void {
    let tags = this.tags.get(version);
    if (tags === undefined) {
      tags = new Set();
      this.tags.set(version, tags);
    }
    if (tags.has(tag)) return;
    tags.add(tag);
    changes.push({ kind: 'tag-added', version, tag, ...this.#known(version) });
  }

  /** Unlinking drops the version with its aliases and tags; `latest` goes back to the newest version left, silently. */
  #removeVersion(version: number, named: readonly string[], changes: ArtifactChange[]): ArtifactChange {
    const held = this.aliasesOf(version);
    const known = this.#known(version);
    this.versions.delete(version);
    this.tags.delete(version);
    for (const alias of held) {
      this.aliases.delete(alias);
      changes.push({ kind: 'alias-removed', version, alias, ...known });
    }
    if (held.includes(LATEST) && this.versions.size > 0) this.aliases.set(LATEST, Math.max(...this.versions));
    return { kind: 'unlinked', version, aliases: [...new Set([...held, ...named])], ...known };
  }
}
