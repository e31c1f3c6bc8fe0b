import { z } from 'zod';
import type { Clock } from '../clock/clock.js';
import type { PatternEngine } from '../match/pattern-engine.js';
import { type DeliveryOptions, deliveryOptionsSchema } from '../sinks/delivery/delivery-options.js';
import { type HttpIntegration, isHttpIntegration } from '../sinks/http/integrations.js';
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
   * Integrations by the name actions use: `SlackIntegration(...)`, `WebhookIntegration(...)`, or any
   * `{ deliver(firing, signal) }`.
   * @default {}
   * @example { alerts: SlackIntegration({ webhookUrl }), audit: new RecordingSink() }
   */
  readonly integrations?: Readonly<Record<string, Integration | HttpIntegration>>;
  /** Delivery: concurrency, timeouts, rate limits, dead letters, the HTTP transport. */
  readonly delivery?: DeliveryOptions;
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
        z.custom<Integration | HttpIntegration>((v) => isIntegration(v) || isHttpIntegration(v), {
          message: 'expected SlackIntegration(...), WebhookIntegration(...) or { deliver(firing, signal) }',
        }),
      )
      .optional(),
    delivery: deliveryOptionsSchema.optional(),
    state: engineStateSchema.optional(),
    patternEngine: z
      .custom<PatternEngine>((p) => typeof (p as PatternEngine | undefined)?.compile === 'function', {
        message: 'expected { name, compile(source) }',
      })
      .optional(),
  })
  .strict();
