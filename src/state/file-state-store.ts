import { closeSync, existsSync, fsyncSync, openSync, readFileSync } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { checkData } from '../definitions/parse.js';
import type { EngineState } from '../engine/engine-state.js';
import { DefinitionError } from '../errors/definition-error.js';
import { issue } from '../errors/issue.js';
import { hasOwnData, isErrorNamed, ownData, textOf } from '../errors/safe-read.js';
import type { StateStore } from './state-store.js';

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

/**
 * Snapshots in one JSON file, replaced atomically: written to a temporary file beside it, flushed to disk,
 * then renamed over the old one, so a crash leaves either the old snapshot or the new one, never a mix.
 */
export class FileStateStore implements StateStore {
  readonly path: string;
  #writes = 0;
  #last: Promise<void> = Promise.resolve();

  constructor(path: string) {
    if (typeof path !== 'string' || path.length === 0)
      throw new DefinitionError(
        [issue('invalid_type', ['path'], 'expected a file path', path)],
        'FileStateStore',
      );
    this.path = path;
  }

  load(): unknown {
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

  /** Saves queue behind each other, so an older snapshot never overwrites a newer one. */
  save(state: EngineState): Promise<void> {
    try {
      // JSON.stringify would run a getter or toJSON, and throw on a cycle or a bigint: refused first.
      checkData(state, 'state', 'json');
    } catch (error) {
      return Promise.reject(error);
    }
    const text = `${JSON.stringify(state)}\n`;
    const next = this.#last.catch(() => undefined).then(() => this.#write(text));
    this.#last = next;
    return next;
  }

  async #write(text: string): Promise<void> {
    const temp = `${this.path}.${process.pid}.${this.#writes++}.tmp`;
    const file = await open(temp, 'w');
    try {
      await file.writeFile(text, 'utf8');
      await file.sync();
    } finally {
      await file.close();
    }
    try {
      await rename(temp, this.path);
    } catch (error) {
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
