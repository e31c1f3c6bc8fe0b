import type { CollectionPlace } from '../schema/artifact-events.js';
import { CollectionState } from './collection-state.js';
import type { SavedCollection } from './saved-collection.js';

/** Collections by place: (entity, project or registry, collection). */
export class CollectionStore {
  readonly #collections = new Map<string, CollectionState>();
  /** Versions kept per collection. */
  maxVersions = Number.POSITIVE_INFINITY;

  get evicted(): number {
    let n = 0;
    for (const c of this.#collections.values()) n += c.evicted;
    return n;
  }

  /** A rough size in bytes, for stats(). */
  get bytes(): number {
    let n = 0;
    for (const c of this.#collections.values())
      n +=
        200 + 48 * c.versions.size + 64 * c.aliases.size + 32 * c.collectionTags.size + 2 * c.metadataBytes;
    return n;
  }

  get size(): number {
    return this.#collections.size;
  }

  getOrCreate(place: CollectionPlace): CollectionState {
    const key = placeKey(place);
    let state = this.#collections.get(key);
    if (state === undefined) {
      state = new CollectionState();
      state.maxVersions = this.maxVersions;
      this.#collections.set(key, state);
    }
    return state;
  }

  get(place: CollectionPlace): CollectionState | undefined {
    return this.#collections.get(placeKey(place));
  }

  save(): SavedCollection[] {
    return [...this.#collections].map(([key, state]) => ({ place: placeOf(key), ...state.save() }));
  }

  load(saved: readonly SavedCollection[]): void {
    for (const { place, ...state } of saved) {
      const loaded = CollectionState.load(state);
      loaded.maxVersions = this.maxVersions;
      this.#collections.set(placeKey(place), loaded);
    }
  }
}

function placeOf(key: string): CollectionPlace {
  const [entity = '', kind, where = '', collection = ''] = key.split('\u0000');
  return kind === 'r' ? { entity, registry: where, collection } : { entity, project: where, collection };
}

function placeKey(place: CollectionPlace): string {
  const where = 'registry' in place ? `r\u0000${place.registry}` : `p\u0000${place.project}`;
  return `${place.entity}\u0000${where}\u0000${place.collection}`;
}
