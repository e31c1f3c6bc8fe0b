import type { Clock } from '../clock/clock.js';
import { systemClock } from '../clock/system-clock.js';
import {
  type Automation,
  createEngine,
  type Engine,
  type Integration,
  isDefinitionError,
  type NewAutomation,
} from '../index.js';
import { describeIssue } from './describe.js';
import { InputError } from './input-error.js';
import type { ConfiguredIntegration } from './load-definitions.js';
import type { ReplayOptions } from './replay-types.js';

/** With --deliver, wait for deliveries due within this long (rate limits, first retries) before giving up. */
const DELIVER_WAIT_MS = 60_000;
const DELIVER_WAIT_TOTAL_MS = 5 * 60_000;

/** Stands for an integration when nothing is sent: counts what it is given, and keeps none of it. */
export class CountingSink implements Integration {
  count = 0;

  deliver(): void {
    this.count += 1;
  }
}

export function createReplayEngine(
  options: ReplayOptions,
  clock: Clock,
): { engine: Engine; sinks: Map<string, CountingSink> } {
  const sinks = new Map<string, CountingSink>();
  let integrations: Record<string, Integration | ConfiguredIntegration>;
  if (options.deliver !== undefined) integrations = { ...options.deliver };
  else {
    // Recorded, not sent: every integration an action names becomes a CountingSink.
    for (const a of options.automations)
      if (a.action.type !== 'DoNothing' && !sinks.has(a.action.integration))
        sinks.set(a.action.integration, new CountingSink());
    integrations = Object.fromEntries(sinks);
  }
  try {
    // Recorded deliveries are counted by their sinks: no history of them is read, so none is kept.
    const delivery = options.deliver === undefined ? { delivery: { historyLimit: 0 } } : {};
    const partitions = options.partitions === undefined ? {} : { partitions: options.partitions };
    return { engine: createEngine({ clock, integrations, ...delivery, ...partitions }), sinks };
  } catch (error) {
    if (isDefinitionError(error))
      throw new InputError(`integrations: ${error.issues.map((i) => describeIssue(i)).join('; ')}`);
    throw error;
  }
}

export function saveAutomations(engine: Engine, automations: readonly NewAutomation[]): Automation[] {
  return automations.map((a, i) => {
    try {
      return engine.save(a);
    } catch (error) {
      if (!isDefinitionError(error)) throw error;
      const name = a.name === undefined ? `automation ${i + 1}` : `automation "${a.name}"`;
      throw new InputError(`${name}: ${error.issues.map((x) => describeIssue(x)).join('; ')}`);
    }
  });
}

/** Wait for deliveries in flight and for those due soon; the rest stay pending (and are counted so). */
export async function settle(engine: Engine): Promise<void> {
  const deadline = systemClock.now() + DELIVER_WAIT_TOTAL_MS;
  for (;;) {
    await engine.idle();
    const now = systemClock.now();
    const due = engine.history({ status: 'pending' }).map((r) => r.dueTime ?? now);
    if (due.length === 0) return;
    const next = Math.min(...due);
    if (next - now > DELIVER_WAIT_MS || next > deadline) return;
    await new Promise((resolve) => setTimeout(resolve, Math.max(20, next - now)));
  }
}

export function countStatuses(engine: Engine): Record<string, number> {
  const byStatus: Record<string, number> = {};
  for (const r of engine.history()) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
  return byStatus;
}
