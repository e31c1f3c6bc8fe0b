import { expect, it } from 'vitest';
import { Scheduler } from '../../src/sinks/delivery/scheduler.js';
import { VirtualClock } from '../../src/testing/index.js';

type Item = { due: number; readonly seq: number; readonly name: string };

function setup(room = () => true, hold: (item: Item, now: number) => number | undefined = () => undefined) {
  const clock = new VirtualClock(0);
  const started: string[] = [];
  const scheduler = new Scheduler<Item>({
    clock,
    hasRoom: room,
    dispatch: (item, now) => {
      const later = hold(item, now);
      if (later !== undefined) {
        item.due = later;
        return true;
      }
      started.push(`${item.name}@${now}`);
      return false;
    },
  });
  let seq = 0;
  const add = (name: string, due: number): void => scheduler.add({ due, seq: seq++, name });
  return { clock, started, scheduler, add };
}

it('hands items over when due, earliest first and equal due times in arrival order, on one timer', () => {
  const s = setup();
  s.add('c', 300);
  s.add('a', 100);
  s.add('b', 100);
  s.add('now', 0);
  s.scheduler.pump();
  expect(s.started).toEqual(['now@0']);
  expect(s.clock.pendingTimers).toBe(1);
  expect(s.clock.nextTimer).toBe(100);
  s.clock.advance(300);
  expect(s.started).toEqual(['now@0', 'a@100', 'b@100', 'c@300']);
  expect(s.clock.pendingTimers).toBe(0);
});

it('an item held back waits until its new due time, seen once per pump', () => {
  let holds = 0;
  const s = setup(
    () => true,
    (item, now) => {
      if (item.name !== 'slow' || now >= 50) return undefined;
      holds++;
      return 50;
    },
  );
  s.add('slow', 0);
  s.scheduler.pump();
  expect(holds).toBe(1);
  expect(s.started).toEqual([]);
  s.clock.advance(50);
  expect(s.started).toEqual(['slow@50']);
});

it('without room nothing starts and no timer is set; the next pump goes on; stop() ends it all', () => {
  let room = false;
  const s = setup(() => room);
  s.add('a', 0);
  s.add('b', 10);
  s.scheduler.pump();
  expect(s.started).toEqual([]);
  expect(s.clock.pendingTimers).toBe(0);
  room = true;
  s.scheduler.pump();
  expect(s.started).toEqual(['a@0']);
  s.scheduler.stop();
  expect(s.clock.pendingTimers).toBe(0);
  s.clock.advance(100);
  s.scheduler.pump();
  expect(s.started).toEqual(['a@0']);
});
