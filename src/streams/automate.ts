import { Observable, type OperatorFunction } from 'rxjs';
import { z } from 'zod';
import type { Clock } from '../clock/clock.js';
import { systemClock } from '../clock/system-clock.js';
import { parseDefinition, parseInput } from '../definitions/parse.js';
import type { Issue } from '../errors/issue.js';
import { hasOwnData } from '../errors/safe-read.js';
import { DEFAULT_INPUT_LIMITS, type InputLimits, inputLimitsSchema } from '../events/input-limits.js';
import { guardedPatternEngine } from '../match/guarded-pattern-engine.js';
import { PatternCache } from '../match/pattern-cache.js';
import type { PatternEngine } from '../match/pattern-engine.js';
import { re2jsEngine } from '../match/re2js-engine.js';
import {
  type Automation,
  type NewAutomation,
  newAutomationSchema,
  type SaveOptions,
} from '../schema/automation.js';
import { Automator, type Suppressed } from './automator.js';
import type { Firing } from './firing.js';

export interface AutomateOptions {
  /** For events with no `time`. @default the system clock */
  readonly clock?: Clock;
  /** @default re2js */
  readonly patternEngine?: PatternEngine;
  /** Bad events and out-of-order values; errors thrown here are swallowed so the stream goes on. */
  readonly onIssue?: (issue: Issue) => void;
  /** Matches held back by a cooldown. */
  readonly onSuppressed?: (suppressed: Suppressed) => void;
  /** Limits on incoming events, as the engine's `limits` (maxFutureMs is judged on `clock`). */
  readonly limits?: Partial<InputLimits>;
}

/** A saved automation is not a draft (its id, scope and times are not draft fields): its settings go as options. */
/** Read as data (no `in` on what may be no object, no trap): anything else goes to the schema as it is. */
const isSaved = (a: NewAutomation | Automation): a is Automation => hasOwnData(a, 'id');

function draftOf(a: NewAutomation | Automation): NewAutomation {
  if (!isSaved(a)) return a;
  const { retryPolicy, rateLimit } = a;
  return {
    event: a.event,
    action: a.action,
    ...(retryPolicy !== undefined && { retryPolicy }),
    ...(rateLimit !== undefined && { rateLimit }),
  };
}

const fn = (message: string) => z.custom<(value: never) => void>((f) => typeof f === 'function', { message });
const automateOptionsSchema = z
  .object({
    clock: z.custom<Clock>((c) => typeof (c as Clock | undefined)?.now === 'function').optional(),
    patternEngine: z
      .custom<PatternEngine>((p) => typeof (p as PatternEngine | undefined)?.compile === 'function')
      .optional(),
    onIssue: fn('expected (issue) => void').optional(),
    onSuppressed: fn('expected (suppressed) => void').optional(),
    limits: inputLimitsSchema.optional(),
  })
  .strict();

/** A saved automation keeps its id, name and settings; a draft needs a name. */
function saveOptionsOf(a: NewAutomation | Automation): SaveOptions {
  if (!isSaved(a)) return {};
  return {
    id: a.id,
    name: a.name,
    enabled: a.enabled,
    cooldownMs: a.cooldownMs,
    ...(a.description !== undefined && { description: a.description }),
  };
}

/**
 * The pure core as an RxJS operator: events in, firings out, no I/O. Each subscription has its own state.
 * Definitions are validated now, so a bad one throws here rather than at subscription.
 */
export function automate(
  given: readonly (NewAutomation | Automation)[],
  givenOptions: AutomateOptions = {},
): OperatorFunction<unknown, Firing> {
  const automations = parseInput(z.array(z.unknown()), given, 'automations') as readonly (
    | NewAutomation
    | Automation
  )[];
  const options = parseInput(automateOptionsSchema, givenOptions, 'automate options') as AutomateOptions;
  const drafts = automations.map((a, i) => ({
    draft: parseDefinition(newAutomationSchema, draftOf(a), `automation ${i}`),
    options: saveOptionsOf(a),
  }));
  const report = (issue: Issue): void => {
    try {
      options.onIssue?.(issue);
    } catch {
      // A throwing callback must not end the stream; there is nowhere else to report it.
    }
  };
  return (source) =>
    new Observable<Firing>((subscriber) => {
      const automator = new Automator({
        clock: options.clock ?? systemClock,
        patterns: new PatternCache(
          options.patternEngine === undefined
            ? re2jsEngine
            : guardedPatternEngine(options.patternEngine, report),
        ),
        report,
        ...(options.limits !== undefined && { limits: { ...DEFAULT_INPUT_LIMITS, ...options.limits } }),
        ...(options.onSuppressed !== undefined && {
          onSuppressed: (s: Suppressed) => {
            try {
              options.onSuppressed?.(s);
            } catch {
              // as above
            }
          },
        }),
      });
      for (const { draft, options: saveOptions } of drafts) automator.registry.save(draft, saveOptions);
      return source.subscribe({
        next(event) {
          for (const firing of automator.process(event)) subscriber.next(firing);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
    });
}
