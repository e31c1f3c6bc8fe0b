import { describe, expectTypeOf, it } from 'vitest';
import {
  type ClusterError,
  type ClusterFailure,
  type ClusterStatus,
  createWorker,
  initCluster,
  isClusterError,
  publishEvents,
  pushDefinitions,
  readFirings,
  type Worker,
} from '../../src/cluster/index.js';
import type { Firing, Issue } from '../../src/index.js';

describe('ml-automations/cluster types', () => {
  it('the calls take their documented options and resolve to their results', () => {
    expectTypeOf(initCluster).parameter(0).toHaveProperty('partitions').toEqualTypeOf<number | undefined>();
    expectTypeOf(createWorker).returns.resolves.toEqualTypeOf<Worker>();
    expectTypeOf<Worker['close']>().returns.toEqualTypeOf<Promise<void>>();
    expectTypeOf(publishEvents).returns.resolves.toHaveProperty('issues').toEqualTypeOf<readonly Issue[]>();
    expectTypeOf(pushDefinitions).returns.resolves.toHaveProperty('revision').toEqualTypeOf<number>();
    expectTypeOf(readFirings).returns.toEqualTypeOf<AsyncGenerator<Firing, void, undefined>>();
    expectTypeOf<ClusterStatus['byPartition'][number]['lag']>().toEqualTypeOf<number>();
  });

  it('isClusterError narrows to the error with its reason', () => {
    const e: unknown = undefined;
    if (isClusterError(e)) {
      expectTypeOf(e).toEqualTypeOf<ClusterError>();
      expectTypeOf(e.reason).toEqualTypeOf<ClusterFailure>();
    }
  });

  it('refuses options it does not know', () => {
    // @ts-expect-error: no such option
    void createWorker({ nats: 'nats://127.0.0.1:4222', partitions: 8 });
  });
});
