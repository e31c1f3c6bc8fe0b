import type { Pattern, PatternEngine } from './pattern-engine.js';

/** Many automations repeat the same pattern; compile each once, and keep the cache bounded (least recently used out). */
export class PatternCache {
  readonly #engine: PatternEngine;
  readonly #max: number;
  readonly #cache = new Map<string, Pattern>();

  constructor(engine: PatternEngine, max = 1024) {
    this.#engine = engine;
    this.#max = max;
  }

  get engine(): PatternEngine {
    return this.#engine;
  }

  compile(source: string): Pattern {
    const hit = this.#cache.get(source);
    if (hit !== undefined) {
      this.#cache.delete(source);
      this.#cache.set(source, hit);
      return hit;
    }
    const pattern = this.#engine.compile(source);
    this.#cache.set(source, pattern);
    if (this.#cache.size > this.#max) {
      const oldest = this.#cache.keys().next();
      if (oldest.done !== true) this.#cache.delete(oldest.value);
    }
    return pattern;
  }
}
