import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, DoNothing, FileStateStore, OnRunMetric, RunEvent } from '../../../src/index.js';
import { VirtualClock } from '../../../src/testing/index.js';
import { T0 } from '../../helpers/fixture.js';

const trigger = OnRunMetric({ scope: 'acme/vision', filter: RunEvent.metric('m').gt(0) }).do(DoNothing());
const temps = (dir: string): string[] => readdirSync(dir).filter((f) => f.endsWith('.tmp'));

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'mla-store-'));
  dirs.push(d);
  return d;
};

/** A pid no process can have (Linux pids stop at 2^22). */
const DEAD_PID = 99_999_999;

describe('FileStateStore temp files', () => {
  it.skipIf(!existsSync('/dev/full'))(
    'a write that fails with ENOSPC removes its temp file, and the next checkpoint succeeds',
    async () => {
      const dir = tempDir();
      const path = join(dir, 'state.json');
      const engine = createEngine({ clock: new VirtualClock(T0), store: new FileStateStore(path) });
      engine.save(trigger, { name: 'a' });
      // The store's first temp file, pointed at /dev/full: the kernel answers the write with ENOSPC.
      symlinkSync('/dev/full', join(dir, `state.json.${process.pid}.0.tmp`));
      await expect(engine.checkpoint()).rejects.toMatchObject({ code: 'ENOSPC' });
      expect(temps(dir)).toEqual([]);
      expect(existsSync(path)).toBe(false);
      await engine.checkpoint();
      expect(readdirSync(dir)).toEqual(['state.json']);
      expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({
        definitions: { automations: [{ name: 'a' }] },
      });
    },
  );

  it('opening sweeps stale temp files of its own file: a dead writer’s or this process’s, nothing else', async () => {
    const dir = tempDir();
    const path = join(dir, 'state.json');
    writeFileSync(path, JSON.stringify(createEngine().snapshot()));
    const stale = [
      `state.json.${DEAD_PID}.0.tmp`,
      `state.json.${DEAD_PID}.17.tmp`,
      `state.json.${process.pid}.3.tmp`,
    ];
    // Another live process's write in progress, other files' temps, and names that only look alike.
    const kept = [
      `state.json.${process.ppid}.0.tmp`,
      `other.json.${DEAD_PID}.0.tmp`,
      `state.json.${DEAD_PID}.x.tmp`,
      `state.json.${DEAD_PID}.0.tmp.bak`,
      'state.json.tmp',
      'xstate.json.1.0.tmp',
    ];
    for (const f of [...stale, ...kept]) writeFileSync(join(dir, f), '{"partial":');
    const store = new FileStateStore(path);
    expect(readdirSync(dir).sort()).toEqual(['state.json', ...kept].sort());
    await expect(store.load()).resolves.toMatchObject({ version: 4 });
  });

  it('a sweep in a folder that does not exist yet is no error', async () => {
    const path = join(tempDir(), 'missing', 'state.json');
    expect(() => new FileStateStore(path)).not.toThrow();
    expect(new FileStateStore(path).loadSync()).toBeUndefined();
    await expect(new FileStateStore(path).load()).resolves.toBeUndefined();
  });

  it('saves that overlap all resolve, and the file ends with the newest state', async () => {
    const dir = tempDir();
    const path = join(dir, 'state.json');
    const store = new FileStateStore(path);
    const engine = createEngine({ clock: new VirtualClock(T0) });
    const saves: Promise<void>[] = [];
    for (let i = 0; i < 20; i++) {
      engine.save(trigger, { name: `a${i}` });
      saves.push(store.save(engine.snapshot()));
    }
    await Promise.all(saves);
    const written = JSON.parse(readFileSync(path, 'utf8')) as { definitions: { automations: unknown[] } };
    expect(written.definitions.automations).toHaveLength(20);
    expect(readdirSync(dir)).toEqual(['state.json']);
  });
});
