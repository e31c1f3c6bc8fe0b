import { expect } from 'vitest';
import {
  type ActionDefinition,
  createEngine,
  type DeadLetter,
  type DeliveryOptions,
  type DeliveryRecord,
  type Engine,
  type EngineOptions,
  type Issue,
  OnRunMetric,
  RunEvent,
} from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';

export type DestinationSetup = {
  readonly engine: Engine;
  readonly clock: VirtualClock;
  readonly t0: number;
  readonly issues: Issue[];
  readonly letters: DeadLetter[];
  readonly records: DeliveryRecord[];
  /** Ingest one run.metrics event (m = `value`, run `runId`) and return the one firing's id. */
  fire(options?: { readonly runId?: string; readonly runName?: string; readonly value?: number }): string;
};

let counter = 0;

/**
 * An engine on virtual time (starting at the current whole second) with `integrations` and one automation
 * `a` whose action is `action`, firing on every `m > 0`; it collects issues, dead letters and records.
 */
export function destinationEngine(options: {
  readonly integrations: EngineOptions['integrations'];
  readonly action: ActionDefinition;
  readonly delivery?: DeliveryOptions;
}): DestinationSetup {
  const t0 = Math.floor(Date.now() / 1000) * 1000;
  const clock = new VirtualClock(t0);
  const engine = createEngine({
    clock,
    ...(options.integrations !== undefined && { integrations: options.integrations }),
    delivery: { random: () => 0.5, ...options.delivery },
  });
  engine.save(OnRunMetric({ scope: 'acme/vision', filter: RunEvent.metric('m').gt(0) }).do(options.action), {
    name: 'a',
    cooldownMs: 0,
  });
  const issues: Issue[] = [];
  const letters: DeadLetter[] = [];
  const records: DeliveryRecord[] = [];
  engine.errors$.subscribe((i) => issues.push(i));
  engine.deliveries$.subscribe((r) => records.push(r));
  engine.on('dead-lettered', (l) => letters.push(l));
  const fire: DestinationSetup['fire'] = (f = {}) => {
    const firings = engine.ingest({
      id: `e${++counter}`,
      source: '/t',
      type: 'run.metrics',
      time: clock.now(),
      data: {
        entity: 'acme',
        project: 'vision',
        runId: f.runId ?? 'r1',
        ...(f.runName !== undefined && { runName: f.runName }),
        metrics: { m: f.value ?? 1 },
      },
    });
    expect(firings).toHaveLength(1);
    return (firings[0] as { id: string }).id;
  };
  return { engine, clock, t0, issues, letters, records, fire };
}

/** Let in-flight attempts (real sockets) settle: idle, then a macrotask turn, until nothing is in flight. */
export async function settle(engine: Engine): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await engine.idle();
    await new Promise((r) => setImmediate(r));
  }
  expect(engine.stats().deliveriesInFlight).toBe(0);
}

/** Advance virtual time and let whatever that started settle. */
export async function advance(s: DestinationSetup, ms: number): Promise<void> {
  s.clock.advance(ms);
  await settle(s.engine);
}
