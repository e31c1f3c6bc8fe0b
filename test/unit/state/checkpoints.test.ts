import { describe, expect, it } from 'vitest';
import {
  createEngine,
  DoNothing,
  type EngineState,
  isStateNotSavedError,
  OnRunMetric,
  RunEvent,
  type StateStore,
} from '../../../src/index.js';
import { VirtualClock } from '../../../src/testing/index.js';
import { row, T0 } from '../../helpers/fixture.js';

const trigger = OnRunMetric({ scope: 'acme/vision', filter: RunEvent.metric('m').gt(0) }).do(DoNothing());

/** A store whose saves wait until the test settles them, one by one; it records every state it was given. */
class HeldStore implements StateStore {
  readonly saves: EngineState[] = [];
  readonly #settle: { resolve: () => void; reject: (e: Error) => void }[] = [];
  inFlight = 0;
  maxInFlight = 0;
  saved: EngineState | undefined;

  load(): unknown {
    return this.saved;
  }

  save(state: EngineState): Promise<void> {
    this.saves.push(state);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    return new Promise<void>((resolve, reject) => {
      this.#settle.push({
        resolve: () => {
          this.inFlight--;
          this.saved = state;
          resolve();
        },
        reject: (e) => {
          this.inFlight--;
          reject(e);
        },
      });
    });
  }

  /** Settle the oldest save still waiting, then let the engine react. */
  async finish(error?: Error): Promise<void> {
    const next = this.#settle.shift();
    if (next === undefined) throw new Error('no save is waiting');
    if (error === undefined) next.resolve();
    else next.reject(error);
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  }
}

/** A store that fails its first `failures` saves, then works. */
class FlakyStore implements StateStore {
  saved: EngineState | undefined;
  calls = 0;
  constructor(public failures: number) {}
  load(): unknown {
    return this.saved;
  }
  async save(state: EngineState): Promise<void> {
    this.calls++;
    if (this.failures > 0) {
      this.failures--;
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    }
    this.saved = state;
  }
}

const accepted = (state: EngineState | undefined): unknown => state?.partitions[0]?.counters.accepted;

describe('checkpoints never queue', () => {
  it('while one save is in flight, further checkpoints join one more save, which snapshots when it starts', async () => {
    const store = new HeldStore();
    const engine = createEngine({ clock: new VirtualClock(T0), store });
    engine.save(trigger, { name: 'a' });
    const done: Promise<void>[] = [];
    for (let i = 0; i < 50; i++) {
      engine.ingest(row(`r${i}`, { m: 1 }));
      done.push(engine.checkpoint());
    }
    expect(store.saves).toHaveLength(1);
    engine.ingest(row('late', { m: 1 }));
    await store.finish();
    // One more save, for all 49 that waited, holding the newest state: every event so far, the late one too.
    expect(store.saves).toHaveLength(2);
    expect(accepted(store.saves[1])).toBe(51);
    await store.finish();
    await Promise.all(done);
    expect(store.maxInFlight).toBe(1);
    expect(store.saves).toHaveLength(2);
  });

  it('timer checkpoints on a slow store: at most one in flight, none piled up behind it', async () => {
    const store = new HeldStore();
    const clock = new VirtualClock(T0);
    const engine = createEngine({ clock, store, checkpointEveryMs: 1_000 });
    engine.save(trigger, { name: 'a' });
    for (let i = 0; i < 20; i++) {
      engine.ingest(row(`r${i}`, { m: 1 }));
      clock.advance(1_000);
    }
    expect(store.saves).toHaveLength(1);
    await store.finish();
    expect(store.saves).toHaveLength(2);
    expect(accepted(store.saves[1])).toBe(20);
    await store.finish();
    expect(store.maxInFlight).toBe(1);
    const closing = engine.close();
    await new Promise((r) => setImmediate(r));
    await store.finish();
    await closing;
  });

  it('a failed save does not stop the next one', async () => {
    const store = new HeldStore();
    const engine = createEngine({ clock: new VirtualClock(T0), store });
    const outcome = (p: Promise<void>) =>
      p.then(
        () => 'saved',
        (e: Error) => e.message,
      );
    const first = outcome(engine.checkpoint());
    const second = outcome(engine.checkpoint());
    await store.finish(new Error('disk full'));
    expect(await first).toBe('disk full');
    await store.finish();
    expect(await second).toBe('saved');
  });
});

describe('close() when the final checkpoint fails', () => {
  it('completes the streams and rejects with StateNotSavedError; a second close() saves and resolves', async () => {
    const store = new FlakyStore(1);
    const engine = createEngine({ clock: new VirtualClock(T0), store });
    engine.save(trigger, { name: 'a' });
    engine.ingest(row('r', { m: 1 }));
    const completed: string[] = [];
    engine.firings$.subscribe({ complete: () => completed.push('firings') });
    engine.errors$.subscribe({ complete: () => completed.push('errors') });
    engine.deliveries$.subscribe({ complete: () => completed.push('deliveries') });

    let caught: unknown;
    try {
      await engine.close();
    } catch (error) {
      caught = error;
    }
    expect(isStateNotSavedError(caught)).toBe(true);
    expect((caught as Error).message).toMatch(/not saved.*ENOSPC/);
    expect(completed.sort()).toEqual(['deliveries', 'errors', 'firings']);
    expect(engine.closed).toBe(true);
    expect(store.saved).toBeUndefined();

    await expect(engine.close()).resolves.toBeUndefined();
    expect(store.calls).toBe(2);
    expect(accepted(store.saved)).toBe(1);
    // Saved now: a third close() has nothing left to do.
    await engine.close();
    expect(store.calls).toBe(2);
  });

  it('a second close() that fails again rejects again', async () => {
    const store = new FlakyStore(2);
    const engine = createEngine({ clock: new VirtualClock(T0), store });
    await expect(engine.close()).rejects.toSatisfy(isStateNotSavedError);
    await expect(engine.close()).rejects.toSatisfy(isStateNotSavedError);
    await expect(engine.close()).resolves.toBeUndefined();
    expect(store.calls).toBe(3);
  });
});
