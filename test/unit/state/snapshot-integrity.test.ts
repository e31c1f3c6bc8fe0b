import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createEngine,
  type DefinitionError,
  DoNothing,
  type EngineState,
  events,
  FileStateStore,
  isDefinitionError,
  OnEvent,
  OnRunMetric,
  RunEvent,
} from '../../../src/index.js';
import { VirtualClock } from '../../../src/testing/index.js';
import { row, T0 } from '../../helpers/fixture.js';
import { olderSnapshot } from '../../helpers/older-snapshot.js';

const sum3 = OnRunMetric({ scope: 'acme/vision', filter: RunEvent.metric('m').sum(3).eq(3) }).do(DoNothing());
const every = OnEvent({ includedEventTypes: ['run.metrics'] }).do(DoNothing());

function refusal(f: () => unknown): DefinitionError {
  try {
    f();
  } catch (error) {
    if (isDefinitionError(error)) return error;
    throw error;
  }
  throw new Error('expected a DefinitionError');
}

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

describe('oldest automation first: ties by the order of saving, never by id text', () => {
  const ids = Array.from({ length: 12 }, (_, i) => `saved-${i + 1}`);

  it('saved-1 … saved-12 saved at the same instant fire in that order, before and after a restore', () => {
    const clock = new VirtualClock(T0);
    const engine = createEngine({ clock });
    for (const id of ids) engine.save(every, { id, name: id });
    const order = (e: typeof engine, n: number) =>
      e
        .ingest(events.runMetrics({ id: `e${n}`, entity: 'a', project: 'p', runId: 'r', metrics: { m: 1 } }))
        .map((f) => f.automationId);
    expect(order(engine, 1)).toEqual(ids);
    const again = createEngine({ clock, state: JSON.parse(JSON.stringify(engine.snapshot())) });
    expect(order(again, 2)).toEqual(ids);
  });

  it('the order of saving, not of ids: saved-12 saved first fires first', () => {
    const engine = createEngine({ clock: new VirtualClock(T0) });
    const reversed = [...ids].reverse();
    for (const id of reversed) engine.save(every, { id, name: id });
    const fired = engine.ingest(
      events.runMetrics({ id: 'e', entity: 'a', project: 'p', runId: 'r', metrics: { m: 1 } }),
    );
    expect(fired.map((f) => f.automationId)).toEqual(reversed);
  });

  it('a snapshot from before sequences (version 2) takes its order from the order it lists automations in', () => {
    const clock = new VirtualClock(T0);
    const engine = createEngine({ clock });
    for (const id of ids) engine.save(every, { id, name: id });
    const v2 = olderSnapshot(engine.snapshot(), 2, { revision: true });
    const old = createEngine({ clock, state: v2 as never });
    const fired = old.ingest(
      events.runMetrics({ id: 'e', entity: 'a', project: 'p', runId: 'r', metrics: { m: 1 } }),
    );
    expect(fired.map((f) => f.automationId)).toEqual(ids);
  });
});

describe('a snapshot carries a checksum of its content', () => {
  function running() {
    const clock = new VirtualClock(T0);
    const engine = createEngine({ clock });
    engine.save(sum3, { name: 'sum3', cooldownMs: 0 });
    engine.ingest(row('r', { m: 1 }, { time: T0 }));
    engine.ingest(row('r', { m: 1 }, { time: T0 + 1 }));
    return { clock, engine, state: JSON.parse(JSON.stringify(engine.snapshot())) as EngineState };
  }

  it('a restore continues from an unedited snapshot', () => {
    const { clock, state } = running();
    expect(state.checksum).toMatch(/^sha256:[0-9a-f]{64}$/);
    const again = createEngine({ clock, state });
    expect(again.ingest(row('r', { m: 1 }, { time: T0 + 2 }))).toHaveLength(1);
  });

  it('refuses a snapshot whose running sum was edited by hand, naming the mismatch', () => {
    const { clock, state } = running();
    const edited = JSON.parse(JSON.stringify(state).replace('"numbers":[2,2]', '"numbers":[1,2]'));
    expect(JSON.stringify(edited)).not.toEqual(JSON.stringify(state));
    const error = refusal(() => createEngine({ clock, state: edited }));
    expect(error.issues).toMatchObject([
      { code: 'checksum_mismatch', path: ['state', 'checksum'], value: state.checksum },
    ]);
    expect(error.issues[0]?.message).toMatch(/does not match its content/);
    expect(error.issues[0]?.message).toContain(state.checksum);
  });

  it('refuses one whose checksum is missing or malformed', () => {
    const { clock, state } = running();
    const { checksum: _c, ...without } = state;
    expect(refusal(() => createEngine({ clock, state: without as never })).issues).toMatchObject([
      { path: ['state', 'checksum'] },
    ]);
    expect(
      refusal(() => createEngine({ clock, state: { ...state, checksum: 'md5:abc' } })).issues,
    ).toMatchObject([{ code: 'invalid_format', path: ['state', 'checksum'] }]);
  });

  it('a snapshot that is no JSON (a cycle, a getter that throws) is one typed issue, never a TypeError', () => {
    const { clock, state } = running();
    const cyclic: Record<string, unknown> = { ...state };
    cyclic['extra'] = cyclic;
    const throwing = Object.defineProperty({ ...state }, 'core', {
      enumerable: true,
      get: () => {
        throw new TypeError('boom');
      },
    });
    for (const bad of [cyclic, throwing]) {
      // One issue, at the value that is not JSON (the cycle's way back, the getter), under `state`.
      const issues = refusal(() => createEngine({ clock, state: bad as never })).issues;
      expect(issues).toHaveLength(1);
      expect(issues[0]?.path).toEqual(['state', bad === cyclic ? 'extra' : 'core']);
    }
  });

  it('key order and formatting do not matter: the checksum is over canonical JSON', () => {
    const { clock, state } = running();
    const reordered = JSON.parse(
      JSON.stringify(Object.fromEntries(Object.entries(state).reverse()), null, 2),
    );
    expect(() => createEngine({ clock, state: reordered })).not.toThrow();
  });

  it('the store: an edited state file is refused when an engine opens it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mla-integrity-'));
    dirs.push(dir);
    const path = join(dir, 'state.json');
    const { clock, engine } = running();
    await new FileStateStore(path).save(engine.snapshot());
    writeFileSync(path, readFileSync(path, 'utf8').replace('"numbers":[2,2]', '"numbers":[1,2]'));
    const error = refusal(() => createEngine({ clock, store: new FileStateStore(path) }));
    expect(error.issues).toMatchObject([{ code: 'checksum_mismatch', path: ['checksum'] }]);
  });
});
