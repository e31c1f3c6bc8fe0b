import { closeSync, existsSync, fsyncSync, openSync, readFileSync } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { checkData } from '../definitions/parse.js';
import { DefinitionError } from '../errors/definition-error.js';
import { issue } from '../errors/issue.js';
import { hasOwnData, isErrorNamed, ownData, textOf } from '../errors/safe-read.js';
import { sweepTempFiles } from './sweep-temp-files.js';

/** A state file that could not be read: it is refused whole, never half-loaded. */
export class StateFileError extends Error {
  override readonly name = 'StateFileError' as const;
  readonly path: string;

  constructor(path: string, message: string, options?: { cause?: unknown }) {
    super(
      `${textOf(path)}: ${textOf(message)}`,
      hasOwnData(options, 'cause') ? { cause: ownData(options, 'cause') } : undefined,
    );
    this.path = path;
  }
}

export function isStateFileError(error: unknown): error is StateFileError {
  return isErrorNamed(error, StateFileError.prototype, 'StateFileError');
}

/** A save waiting for the write in flight: the newest state given, and everyone who asked for one. */
type Queued = { text: string; readonly done: Promise<void>; settle(write: Promise<void>): void };

/**
 * Snapshots in one JSON file, replaced atomically: written to a temporary file beside it
 * (`<file>.<pid>.<n>.tmp`), flushed to disk, then renamed over the old one, so a crash leaves either the old
 * snapshot or the new one, never a mix. A failed write removes its temporary file, and opening the store
 * removes those a killed process left behind, so neither a full disk nor kill -9 leaves litter that keeps the
 * next write from fitting.
 */
export class FileStateStore {
  readonly path: string;
  #writes = 0;
  #writing: Promise<void> | undefined;
  #queued: Queued | undefined;

  constructor(path: string) {
    if (typeof path !== 'string' || path.length === 0)
      throw new DefinitionError(
        [issue('invalid_type', ['path'], 'expected a file path', path)],
        'FileStateStore',
      );
    this.path = path;
    sweepTempFiles(path);
  }

  /** The last saved state, or undefined when there is no file yet; rejects on an unreadable or corrupt file. */
  async load(): Promise<unknown> {
    return this.loadSync();
  }

  /** As `load`, synchronously: lets `createEngine({ store })` restore before its first event. */
  loadSync(): unknown {
    if (!existsSync(this.path)) return undefined;
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      throw new StateFileError(this.path, 'cannot be read', { cause: error });
    }
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new StateFileError(this.path, 'is not valid JSON (corrupt or truncated): refused', {
        cause: error,
      });
    }
  }

  /**
   * At most one write at a time, and at most one waiting: a save made while one is written replaces any save
   * still waiting (its state is older), and resolves once the newest state given is on disk.
   */
  save(state: object): Promise<void> {
    try {
      // JSON.stringify would run a getter or toJSON, and throw on a cycle or a bigint: refused first.
      checkData(state, 'state', 'json');
    } catch (error) {
      return Promise.reject(error);
    }
    const text = `${JSON.stringify(state)}\n`;
    if (this.#writing === undefined) return this.#start(text);
    if (this.#queued !== undefined) {
      this.#queued.text = text;
      return this.#queued.done;
    }
    let settle: (write: Promise<void>) => void = () => undefined;
    const done = new Promise<void>((resolve, reject) => {
      settle = (write) => {
        write.then(resolve, reject);
      };
    });
    this.#queued = { text, done, settle };
    return done;
  }

  #start(text: string): Promise<void> {
    const write = this.#write(text).finally(() => {
      this.#writing = undefined;
      const next = this.#queued;
      this.#queued = undefined;
      if (next !== undefined) next.settle(this.#start(next.text));
    });
    this.#writing = write;
    return write;
  }

  async #write(text: string): Promise<void> {
    const temp = `${this.path}.${process.pid}.${this.#writes++}.tmp`;
    try {
      const file = await open(temp, 'w');
      try {
        await file.writeFile(text, 'utf8');
        await file.sync();
      } catch (error) {
        await file.close().catch(() => undefined);
        throw error;
      }
      await file.close();
      await rename(temp, this.path);
    } catch (error) {
      // A partial temp file (ENOSPC, EIO, a failed rename) would hold the very space the next write needs.
      await unlink(temp).catch(() => undefined);
      throw error;
    }
    syncDirectory(dirname(this.path));
  }
}

/** The rename itself must reach the disk; not every platform lets a directory be opened for that. */
function syncDirectory(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Best effort: the data is already flushed; only the directory entry's durability is at stake.
  }
}
