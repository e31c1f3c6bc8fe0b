import type { EngineState } from '../../src/index.js';

/**
 * A one-partition snapshot written as an older engine wrote it: version 2 (one `core`, no checksum, no
 * sequences kept unless asked) or version 1 (automations and deliveries only).
 */
export function olderSnapshot(state: EngineState, version: 1 | 2, options: { revision?: boolean } = {}) {
  const { definitions, partitions, deliveries } = structuredClone(state);
  const automations = definitions.automations.map(({ sequence: _s, ...a }) => a);
  if (version === 1) return { version: 1, automations, deliveries };
  const p = partitions[0];
  if (p === undefined) throw new Error('no partition');
  const { runs, collections, seen, counters, perAutomation } = p;
  const core = {
    nextId: definitions.nextId,
    ...(options.revision === true && { revision: definitions.revision }),
    runs,
    collections,
    seen,
    counters,
    perAutomation,
  };
  return { version: 2, automations, deliveries, core };
}
