import { z } from 'zod';
import type { Clock } from '../clock/clock.js';
import { type InputLimits, inputLimitsSchema } from '../events/input-limits.js';
import type { Authorize } from '../management/authorize.js';
import type { PatternEngine } from '../match/pattern-engine.js';
import { type DeliveryOptions, deliveryOptionsSchema } from '../sinks/delivery/delivery-options.js';
import { type DestinationIntegration, isDestinationIntegration } from '../sinks/destinations.js';
import { type HttpIntegration, isHttpIntegration } from '../sinks/http/integrations.js';
import { redactedInput } from '../sinks/http/redaction.js';
import { type Integration, isIntegration } from '../sinks/integration.js';
import { type Retention, retentionSchema } from '../state/retention.js';
import { type EngineState, engineStateSchema } from './engine-state.js';
import type { StateStore } from './state-store.js';

/** More partitions than this in one process would cost memory for nothing. */
export const MAX_PARTITIONS = 1024;

export interface EngineOptions {
  /**
   * Where time comes from for events with no `time`, and for `createdAt`/`updatedAt`.
   * @default the system clock
   * @example new VirtualClock(Date.parse('2026-01-01T00:00:00Z'))
   */
  readonly clock?: Clock;
  /**
   * Integrations by the name actions use: `SlackIntegration(...)`, `WebhookIntegration(...)`,
   * `EmailIntegration(...)`, `PagerDutyIntegration(...)`, `GitHubIntegration(...)`, `TeamsIntegration(...)`, or
   * any `{ deliver(firing, signal) }`.
   * @default {}
   * @example { alerts: SlackIntegration({ webhookUrl }), audit: new RecordingSink() }
   */
  readonly integrations?: Readonly<Record<string, Integration | HttpIntegration | DestinationIntegration>>;
  /** Delivery: concurrency, timeouts, rate limits, dead letters, the HTTP transport. */
  readonly delivery?: DeliveryOptions;
  /** A snapshot from `engine.snapshot()` to continue from. */
  readonly state?: EngineState;
  /**
   * Where checkpoints go, e.g. `new FileStateStore('state.json')`. Without `state`, the engine starts from the
   * store's last checkpoint; `close()` writes a final one.
   */
  readonly store?: StateStore;
  /** Checkpoint to the store this often (engine clock). @default only on close() and checkpoint() */
  readonly checkpointEveryMs?: number;
  /** Limits on incoming events. @default 1 MiB, depth 32, strings 64 KiB, 10,000 keys, arrays of 100,000 */
  readonly limits?: Partial<InputLimits>;
  /** How long run and collection state is kept, on event time. */
  readonly retention?: Retention;
  /**
   * How many partitions hold the runtime state: each event goes to `partitionOf(partitionKey(event), partitions)`
   * (SEMANTICS §9), and the firings are those of one partition. Seen event ids are per partition.
   * @default 1
   */
  readonly partitions?: number;
  /**
   * The engine for user patterns (run names; later aliases, tags, subjects).
   * @default re2js
   */
  readonly patternEngine?: PatternEngine;
  /**
   * Who may change automations through `engine.as(principal)`: asked before every change; only `true` allows,
   * and a `false`, a throw or any other answer refuses (ForbiddenError). The engine's own methods never ask.
   * @default none: everything through `as()` is refused
   * @example (user, operation, target) => target.scope?.entity === (user as User).team
   */
  readonly authorize?: Authorize;
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
        // A refused integration is shown redacted: what was given may be a secret (a bare webhook URL, say).
        z.unknown().transform((v, ctx): Integration | HttpIntegration | DestinationIntegration => {
          if (isIntegration(v) || isHttpIntegration(v) || isDestinationIntegration(v)) return v;
          ctx.addIssue({
            code: 'custom',
            message:
              'expected an integration (SlackIntegration(...), EmailIntegration(...), …) or { deliver(firing, signal) }',
            input: redactedInput(v),
          });
          return z.NEVER;
        }),
      )
      .optional(),
    delivery: deliveryOptionsSchema.optional(),
    state: engineStateSchema.optional(),
    store: z
      .custom<StateStore>(
        (s) =>
          typeof (s as StateStore | undefined)?.load === 'function' &&
          typeof (s as StateStore | undefined)?.save === 'function',
        {
          message: 'expected { load(), save(state) }',
        },
      )
      .optional(),
    checkpointEveryMs: z.number().int().min(1).optional(),
    limits: inputLimitsSchema.optional(),
    retention: retentionSchema.optional(),
    partitions: z.number().int().min(1).max(MAX_PARTITIONS).optional(),
    patternEngine: z
      .custom<PatternEngine>((p) => typeof (p as PatternEngine | undefined)?.compile === 'function', {
        message: 'expected { name, compile(source) }',
      })
      .optional(),
    authorize: z
      .custom<Authorize>((f) => typeof f === 'function', {
        message: 'expected (principal, operation, target) => boolean',
      })
      .optional(),
  })
  .strict();
