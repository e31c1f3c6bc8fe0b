import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createEngine,
  DoNothing,
  type EngineState,
  FileStateStore,
  isDefinitionError,
  OnRunMetric,
  openEngine,
  RunEvent,
  type StateStore,
} from '../../../src/index.js';
import { VirtualClock } from '../../../src/testing/index.js';
import { row, T0 } from '../../helpers/fixture.js';

const trigger = OnRunMetric({ scope: 'acme/vision', filter: RunEvent.metric('m').gt(0) }).do(DoNothing());

/** A store that answers only asynchronously, as a database would. */
class AsyncStore implements StateStore {
  saved: EngineState | undefined;
  loads = 0;
  async load(): Promise<unknown> {
    this.loads++;
    await new Promise((r) => setImmediate(r));
    return this.saved === undefined ? undefined : structuredClone(this.saved);
  }
  async save(state: EngineState): Promise<void> {
    this.saved = structuredClone(state);
  }
}

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

describe('openEngine', () => {
  it('restores from an asynchronous store and goes on where the last engine stopped', async () => {
    const store = new AsyncStore();
    const first = await openEngine({ clock: new VirtualClock(T0), store });
    expect(store.loads).toBe(1);
    const saved = first.save(trigger, { name: 'm-positive', cooldownMs: 0 });
    expect(first.ingest(row('r1', { m: 1 }, { step: 1 }))).toHaveLength(1);
    await first.close();

    const second = await openEngine({ clock: new VirtualClock(T0), store });
    expect(second.get(saved.id)?.name).toBe('m-positive');
    expect(second.stats().accepted).toBe(1);
    expect(second.ingest(row('r1', { m: 2 }, { step: 2 }))).toHaveLength(1);
    await second.close();
  });

  it('createEngine refuses an asynchronous store, pointing at openEngine', () => {
    const store = new AsyncStore();
    try {
      createEngine({ store });
      expect.unreachable();
    } catch (error) {
      expect(isDefinitionError(error)).toBe(true);
      expect((error as Error).message).toMatch(/openEngine/);
      expect((error as { issues: { path: unknown[] }[] }).issues[0]?.path).toEqual(['store']);
    }
  });

  it('works with FileStateStore, which createEngine can also read synchronously', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mla-open-'));
    dirs.push(dir);
    const path = join(dir, 'state.json');
    const first = await openEngine({ clock: new VirtualClock(T0), store: new FileStateStore(path) });
    first.save(trigger, { name: 'kept' });
    await first.close();
    const opened = await openEngine({ clock: new VirtualClock(T0), store: new FileStateStore(path) });
    const created = createEngine({ clock: new VirtualClock(T0), store: new FileStateStore(path) });
    expect(opened.list().map((a) => a.name)).toEqual(['kept']);
    expect(created.snapshot()).toEqual(opened.snapshot());
    await opened.close();
    await created.close();
  });

  it('an explicit state wins over the store, which is then not read', async () => {
    const store = new AsyncStore();
    const source = createEngine({ clock: new VirtualClock(T0) });
    source.save(trigger, { name: 'from-state' });
    const engine = await openEngine({ clock: new VirtualClock(T0), store, state: source.snapshot() });
    expect(store.loads).toBe(0);
    expect(engine.list().map((a) => a.name)).toEqual(['from-state']);
  });

  it('bad options reject before the store is asked, and a stored state that does not validate is refused whole', async () => {
    const store = new AsyncStore();
    await expect(openEngine({ store, partitions: 0 })).rejects.toSatisfy(isDefinitionError);
    expect(store.loads).toBe(0);
    store.saved = { version: 4, checksum: 'sha256:00' } as unknown as EngineState;
    await expect(openEngine({ store })).rejects.toSatisfy(isDefinitionError);
  });

  it('a store that rejects makes openEngine reject with its error', async () => {
    const failing: StateStore = {
      load: () => Promise.reject(new Error('connection refused')),
      save: async () => undefined,
    };
    await expect(openEngine({ store: failing })).rejects.toThrow('connection refused');
  });
});
