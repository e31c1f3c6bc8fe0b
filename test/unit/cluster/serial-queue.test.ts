import { afterEach, beforeEach, expect, it } from 'vitest';
import { SerialQueue } from '../../../src/cluster/serial-queue.js';

// A partition's message handling and idle snapshots share one queue. When handling a message failed (a NATS
// server killed mid-publish), the next task chained on the failed one with `.then(task)` was never run and its
// promise rejected unawaited: the cluster tests saw unhandled rejections. The queue goes on after a failure.

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};
beforeEach(() => {
  unhandled.length = 0;
  process.on('unhandledRejection', onUnhandled);
});
afterEach(() => {
  process.off('unhandledRejection', onUnhandled);
});

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

it('runs tasks one at a time, in order', async () => {
  const queue = new SerialQueue();
  const log: string[] = [];
  const slow = queue.run(async () => {
    log.push('a start');
    await tick();
    log.push('a end');
    return 1;
  });
  const fast = queue.run(() => {
    log.push('b');
    return 2;
  });
  expect(await Promise.all([slow, fast])).toEqual([1, 2]);
  expect(log).toEqual(['a start', 'a end', 'b']);
});

it('a failed task rejects its own run, and the tasks after it still run, with no unhandled rejection', async () => {
  const queue = new SerialQueue();
  const failed = queue.run(async () => {
    throw new Error('publish failed');
  });
  await expect(failed).rejects.toThrow('publish failed');
  // A task given later, its promise not awaited (as the idle snapshot's is): it runs.
  let ran = false;
  void queue.run(() => {
    ran = true;
  });
  await queue.idle();
  await tick();
  expect(ran).toBe(true);
  expect(unhandled).toEqual([]);
});

it('idle resolves once every task has settled, a failed one included', async () => {
  const queue = new SerialQueue();
  const failed = queue.run(async () => {
    await tick();
    throw new Error('no responders');
  });
  failed.catch(() => undefined);
  let settled = false;
  void queue.run(async () => {
    await tick();
    settled = true;
  });
  await queue.idle();
  expect(settled).toBe(true);
  await tick();
  expect(unhandled).toEqual([]);
});
