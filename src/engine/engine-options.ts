import { z } from 'zod';
import type { Clock } from '../clock/clock.js';
import type { PatternEngine } from '../match/pattern-engine.js';
import { type Integration, isIntegration } from '../sinks/integration.js';
import { type EngineState, engineStateSchema } from './engine-state.js';

export interface EngineOptions {
  /**
   * Where time comes from for events with no `time`, and for `createdAt`/`updatedAt`.
   * @default the system clock
   * @example new VirtualClock(Date.parse('2026-01-01T00:00:00Z'))
   */
  readonly clock?: Clock;
  /**
   * Integrations by the name actions use; any `{ deliver(firing, signal) }`.
   * @default {}
   * @example { audit: new RecordingSink() }
   */
  readonly integrations?: Readonly<Record<string, Integration>>;
  /** A snapshot from `engine.snapshot()` to continue from. */
  readonly state?: EngineState;
  /**
   * The engine for user patterns (run names; later aliases, tags, subjects).
   * @default re2js
   */
  readonly patternEngine?: PatternEngine;
}

export const engineOptionsSchema = z
  .object({
    clock: z
      .custom<Clock>((c) => typeof (c as Clock | undefined)?.now === 'function', {
        message: 'expected { now(): number }',
      })
      .optional(),
    integrations: z
      .record(
        z.string().min(1).max(255),
        z.custom<Integration>(isIntegration, { message: 'expected { deliver(firing, signal) }' }),
      )
      .optional(),
    state: engineStateSchema.optional(),
    patternEngine: z
      .custom<PatternEngine>((p) => typeof (p as PatternEngine | undefined)?.compile === 'function', {
        message: 'expected { name, compile(source) }',
      })
      .optional(),
  })
  .strict();
