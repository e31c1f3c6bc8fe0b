import type { Integration } from '../sinks/integration.js';
import type { Firing } from '../streams/firing.js';

/** An integration that keeps every firing it is given, for assertions. */
export class RecordingSink implements Integration {
  readonly firings: Firing[] = [];

  deliver(firing: Firing, _signal: AbortSignal): void {
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
