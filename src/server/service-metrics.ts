import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Engine } from '../index.js';

/**
 * Prometheus metrics on a registry of our own (never the global one, so two servers in a process do not mix).
 * Counts of events, firings and suppressed matches come from `engine.stats()` at scrape time: they live in the
 * engine's checkpoints, so they survive a restart and cost the intake path nothing.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  readonly #http: Counter<'route' | 'status'>;
  readonly #unsubscribe: () => void;

  /** In cluster mode there is no engine: events are counted by this process's intake (`events`), nothing else. */
  constructor(
    engine: Engine | undefined,
    partitions: number,
    events?: () => { accepted: number; rejected: number; duplicates: number },
  ) {
    const registry = this.registry;
    const counts = events ?? (() => (engine as Engine).stats());
    new Counter({
      name: 'ml_automations_events_total',
      help: 'Events offered, by outcome (counted since the state began; in cluster mode, since this process began).',
      labelNames: ['outcome'],
      registers: [registry],
      // A counter whose value lives in the engine: set at each scrape from the engine's own count.
      collect() {
        const s = counts();
        this.reset();
        this.inc({ outcome: 'accepted' }, s.accepted);
        this.inc({ outcome: 'rejected' }, s.rejected);
        this.inc({ outcome: 'duplicate' }, s.duplicates);
      },
    });
    new Gauge({
      name: 'ml_automations_partitions',
      help: 'Partitions holding the runtime state.',
      registers: [registry],
    }).set(partitions);
    this.#http = new Counter({
      name: 'ml_automations_http_requests_total',
      help: 'HTTP requests answered, by route and status.',
      labelNames: ['route', 'status'],
      registers: [registry],
    });
    this.#unsubscribe = engine === undefined ? () => undefined : engineMetrics(engine, registry);
  }

  request(route: string, status: number): void {
    this.#http.inc({ route, status: String(status) });
  }

  close(): void {
    this.#unsubscribe();
  }
}

/** The engine's own figures: firings, suppressed matches, deliveries. Returns how to stop listening. */
function engineMetrics(engine: Engine, registry: Registry): () => void {
  const stats = () => engine.stats();
  const perAutomation = (name: string, help: string, key: 'firings' | 'suppressed') =>
    new Counter({
      name,
      help,
      labelNames: ['automation'],
      registers: [registry],
      collect() {
        this.reset();
        for (const [id, c] of Object.entries(stats().byAutomation)) this.inc({ automation: id }, c[key]);
      },
    });
  perAutomation('ml_automations_firings_total', 'Firings by automation id.', 'firings');
  perAutomation(
    'ml_automations_suppressed_total',
    'Matches the cooldown held back, by automation id.',
    'suppressed',
  );
  new Gauge({
    name: 'ml_automations_deliveries_in_flight',
    help: 'Delivery attempts in flight.',
    registers: [registry],
    collect() {
      this.set(stats().deliveriesInFlight);
    },
  });
  new Gauge({
    name: 'ml_automations_delivery_queue_depth',
    help: 'Deliveries pending (waiting for an attempt or a retry).',
    registers: [registry],
    collect() {
      this.set(engine.history({ status: 'pending' }).length);
    },
  });
  new Gauge({
    name: 'ml_automations_automations',
    help: 'Saved automations, by state.',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const s = stats();
      this.set({ state: 'enabled' }, s.enabled);
      this.set({ state: 'disabled' }, s.automations - s.enabled);
    },
  });
  const latency = new Histogram({
    name: 'ml_automations_delivery_latency_seconds',
    help: 'From a firing handed to delivery to its delivery (finished), in seconds.',
    buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30, 60, 300, 3600],
    registers: [registry],
  });
  const attempts = new Counter({
    name: 'ml_automations_delivery_attempts_total',
    help: 'Delivery attempts, by outcome.',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const deadLetters = new Counter({
    name: 'ml_automations_dead_letters_total',
    help: 'Firings dead-lettered, by reason.',
    labelNames: ['reason'],
    registers: [registry],
  });
  // One record per state change; each new attempt is the record's last one.
  const seenAttempts = new Map<string, number>();
  const subscription = engine.deliveries$.subscribe((record) => {
    const before = seenAttempts.get(record.firingId) ?? 0;
    for (let i = before; i < record.attempts.length; i++)
      attempts.inc({ outcome: String(record.attempts[i]?.outcome ?? 'unknown') });
    if (record.status === 'pending') seenAttempts.set(record.firingId, record.attempts.length);
    else seenAttempts.delete(record.firingId);
    const last = record.attempts.at(-1);
    if (record.status === 'finished' && last !== undefined)
      latency.observe(Math.max(0, last.time + last.durationMs - record.publishTime) / 1000);
  });
  const onDeadLetter = (letter: { readonly deadLetterReason: string }) =>
    deadLetters.inc({ reason: letter.deadLetterReason });
  engine.on('dead-lettered', onDeadLetter);
  return () => {
    subscription.unsubscribe();
    engine.off('dead-lettered', onDeadLetter);
  };
}
