import { Observable, type OperatorFunction } from 'rxjs';
import { z } from 'zod';
import type { Clock } from '../clock/clock.js';
import { systemClock } from '../clock/system-clock.js';
import type { DefinitionChange } from '../core/definition-change.js';
import type { Firing } from '../core/firing.js';
import { Partitions } from '../core/partitions.js';
import type { Suppressed } from '../core/suppressed.js';
import { parseDefinition, parseInput } from '../definitions/parse.js';
import type { Issue } from '../errors/issue.js';
import { hasOwnData } from '../errors/safe-read.js';
import { type InputLimits, inputLimitsSchema } from '../events/input-limits.js';
import { Management } from '../management/management.js';
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

/** Read as data (no `in` on what may be no object, no trap): anything else goes to the schema as it is. */
const isSaved = (a: NewAutomation | Automation): a is Automation => hasOwnData(a, 'id');

/** A saved automation is not a draft (its id, scope and times are not draft fields): its settings go as options. */
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
 * Definitions are validated and saved now, by the engine's rules (a name each, names unique, patterns the
 * pattern engine accepts), so a bad one throws here rather than at subscription.
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
  const report = (issue: Issue): void => {
    try {
      options.onIssue?.(issue);
    } catch {
      // A throwing callback must not end the stream; there is nowhere else to report it.
    }
  };
  const clock = options.clock ?? systemClock;
  const patternEngine =
    options.patternEngine === undefined ? re2jsEngine : guardedPatternEngine(options.patternEngine, report);
  // Saved once; each subscription's core starts from the same changes.
  const changes: DefinitionChange[] = [];
  const management = new Management({
    clock,
    patterns: new PatternCache(patternEngine),
    onChange: (change) => changes.push(change),
  });
  for (const [i, a] of automations.entries())
    management.save(parseDefinition(newAutomationSchema, draftOf(a), `automation ${i}`), saveOptionsOf(a));
  return (source) =>
    new Observable<Firing>((subscriber) => {
      const core = new Partitions({
        clock,
        patterns: new PatternCache(patternEngine),
        report,
        ...(options.limits !== undefined && { limits: options.limits }),
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
      for (const change of changes) core.applyDefinition(change);
      return source.subscribe({
        next(event) {
          for (const firing of core.process(event)) subscriber.next(firing);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
    });
}
