import { describe, expect, it } from 'vitest';
import { createEngine, events, partitionKey, partitionOf } from '../../src/index.js';

// SEMANTICS §9: producers compute the partition of every event kind with the public functions.
describe('partitionKey', () => {
  it('keys artifact and collection events by (entity, project or registry, collection)', () => {
    const inProject = events.artifactCreated({
      entity: 'acme',
      project: 'vision',
      collection: 'resnet',
      version: 3,
    });
    const inRegistry = events.aliasAdded({
      entity: 'acme',
      registry: 'model',
      collection: 'resnet',
      version: 3,
      alias: 'prod',
    });
    const again = events.artifactCreated({
      entity: 'acme',
      project: 'vision',
      collection: 'resnet',
      version: 4,
    });
    expect(partitionKey(inProject)).toBe(partitionKey(again));
    expect(partitionKey(inProject)).not.toBe(partitionKey(inRegistry));
  });

  it('keys run events by run and foreign events by source and id', () => {
    const a = events.runMetrics({ entity: 'acme', project: 'vision', runId: 'r.1', metrics: { acc: 1 } });
    const b = events.runState({ entity: 'acme', project: 'vision', runId: 'r.1', state: 'failed' });
    expect(partitionKey(a)).toBe(partitionKey(b));
    const foreign = {
      id: 'x',
      source: 'azure',
      type: 'Microsoft.MachineLearningServices.ModelRegistered',
      data: {},
    };
    expect(partitionKey(foreign)).not.toBe(partitionKey({ ...foreign, id: 'y' }));
  });

  it('routes as a partitioned engine does: the same firings per partition', () => {
    const e = events.artifactCreated({ entity: 'acme', project: 'vision', collection: 'resnet', version: 3 });
    expect(partitionOf(partitionKey(e), 8)).toBeGreaterThanOrEqual(0);
    expect(() => createEngine({ partitions: 8 }).ingest(e)).not.toThrow();
  });
});
