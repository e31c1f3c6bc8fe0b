import { Engine } from './engine.js';
import type { EngineOptions } from './engine-options.js';

/**
 * The one entry: an engine with its own automations, state, streams and sinks.
 * @example const engine = createEngine({ clock: new VirtualClock(0), integrations: { audit: new RecordingSink() } });
 */
export function createEngine(options: EngineOptions = {}): Engine {
  return new Engine(options);
}
