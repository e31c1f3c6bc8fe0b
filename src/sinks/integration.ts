import type { Firing } from '../core/firing.js';

/**
 * Where firings go. Any object with `deliver` is an integration; actions name it. A throw or a rejection is
 * reported on `errors$` and never stops the engine. `signal` aborts when the engine is closed with `abort`.
 */
export interface Integration {
  deliver(firing: Firing, signal: AbortSignal): void | Promise<void>;
}

export function isIntegration(value: unknown): value is Integration {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { deliver?: unknown }).deliver === 'function'
  );
}
