import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEngine, events, isDefinitionError, partitionKey, partitionOf } from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');

const NUM_RUNS = Number(process.env['FC_RUNS'] ?? 200);

/** FNV-1a 32-bit as its definition reads: over the bytes TextEncoder gives, xor then multiply, modulo 2^32. */
function fnv1aReference(text: string): number {
  let h = 2166136261n;
  for (const byte of new TextEncoder().encode(text)) h = ((h ^ BigInt(byte)) * 16777619n) % 2n ** 32n;
  return Number(h);
}

describe('partitionOf', () => {
  it('is FNV-1a 32-bit of the UTF-8 of the key, modulo the count, for any text (lone surrogates included)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.integer({ min: 1, max: 2 ** 31 }), (key, n) => {
        expect(partitionOf(key, n)).toBe(fnv1aReference(key) % n);
      }),
      { numRuns: NUM_RUNS * 5 },
    );
  });

  it('matches the published FNV-1a test vectors', () => {
    expect(partitionOf('', 2 ** 31) === 0x811c9dc5 % 2 ** 31).toBe(true);
    expect(fnv1aReference('a')).toBe(0xe40c292c);
    expect(partitionOf('a', 2 ** 31)).toBe(0xe40c292c % 2 ** 31);
    expect(partitionOf('foobar', 2 ** 31)).toBe(0xbf9cf968 % 2 ** 31);
  });

  it('refuses a count that is not a positive integer, naming it', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, '4']) {
      try {
        partitionOf('k', bad as number);
        expect.unreachable();
      } catch (error) {
        expect(isDefinitionError(error)).toBe(true);
        expect((error as { issues: { path: unknown[] }[] }).issues[0]?.path).toEqual(['partitions']);
      }
    }
  });
});

describe('partitionKey', () => {
  const run = { entity: 'acme', project: 'vision', runId: 'r1' };

  it('keys run events by (entity, project, runId), whatever else they say', () => {
    const a = partitionKey(events.runMetrics({ ...run, metrics: { loss: 1 } }));
    const b = partitionKey(events.runState({ ...run, state: 'failed' }));
    expect(a).toBe(b);
    expect(partitionKey(events.runMetrics({ ...run, runId: 'r2', metrics: { loss: 1 } }))).not.toBe(a);
  });

  it('keys artifact events by (entity, project or registry, collection)', () => {
    const place = { entity: 'acme', project: 'vision', collection: 'model' };
    const created = partitionKey(events.artifactCreated({ ...place, version: 0 }));
    expect(partitionKey(events.aliasAdded({ ...place, version: 3, alias: 'prod' }))).toBe(created);
    expect(partitionKey(events.artifactCreated({ ...place, collection: 'other', version: 0 }))).not.toBe(
      created,
    );
  });

  it('keys any other event by (source, id), and names what is missing', () => {
    const key = partitionKey({
      type: 'Microsoft.MachineLearningServices.RunCompleted',
      source: '/s',
      id: '1',
    });
    expect(key).toBe(partitionKey({ type: 'anything.else', source: '/s', id: '1' }));
    expect(() => partitionKey({ type: 'x', source: '/s' })).toThrow(/id/);
    expect(() => partitionKey({ type: 'run.metrics', data: { entity: 'a', project: 'b' } })).toThrow(/runId/);
  });

  it('never runs a getter of the event it reads', () => {
    let ran = false;
    const event = {
      type: 'x',
      source: '/s',
      get id() {
        ran = true;
        return '1';
      },
    };
    expect(() => partitionKey(event)).toThrow();
    expect(ran).toBe(false);
  });
});

describe('producers and the engine agree', () => {
  it('a run and a collection land in the partition partitionOf(partitionKey(event), n) names', () => {
    const names = fc.stringMatching(/^[a-z0-9é☃-]{1,8}$/);
    fc.assert(
      fc.property(names, names, names, fc.integer({ min: 2, max: 16 }), (entity, project, id, n) => {
        const engine = createEngine({ clock: new VirtualClock(T0), partitions: n });
        const run = events.runMetrics({ entity, project, runId: id, metrics: { loss: 1 }, time: T0 });
        const artifact = events.artifactCreated({ entity, project, collection: id, version: 0, time: T0 });
        engine.ingestBatch([run, artifact]);
        const state = engine.snapshot();
        const runAt = state.partitions.findIndex((p) => p.runs.length > 0);
        const collectionAt = state.partitions.findIndex((p) => p.collections.length > 0);
        expect(runAt).toBe(partitionOf(partitionKey(run), n));
        expect(collectionAt).toBe(partitionOf(partitionKey(artifact), n));
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
