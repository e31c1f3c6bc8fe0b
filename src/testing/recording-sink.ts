import type { Firing } from '../core/firing.js';
import { DefinitionError } from '../errors/definition-error.js';
import { issue } from '../errors/issue.js';
import { ownData } from '../errors/safe-read.js';
import type { Integration } from '../sinks/integration.js';

/** An integration that keeps every firing it is given, for assertions. */
export class RecordingSink implements Integration {
  readonly firings: Firing[] = [];

  deliver(firing: Firing, _signal: AbortSignal): void {
    // Called by the engine with its firings; anything else is a caller's mistake, refused before it is kept.
    if (typeof ownData(firing, 'id') !== 'string')
      throw new DefinitionError(
        [issue('invalid_type', ['firing'], 'expected a firing', typeof firing)],
        'deliver',
      );
    this.firings.push(firing);
  }

  /** The ids of the firings received, in order. */
  get ids(): string[] {
    return this.firings.map((f) => f.id);
  }

  clear(): void {
    this.firings.length = 0;
  }
}
