import { describe, expect, it } from 'vitest';
import {
  createDeliverer,
  createEngine,
  type DeliveryLedger,
  type DeliveryRecord,
  type EngineOptions,
  type Firing,
  type HistoryQuery,
  type LedgerDelivery,
  OnRunMetric,
  RunEvent,
  SendWebhook,
  type Transport,
  WebhookIntegration,
} from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');

/**
 * A ledger that keeps each delivery as the JSON text of its record (as a durable one would write it), and logs
 * every call: whatever the deliverer shows must have come back out of it.
 */
class JsonLedger implements DeliveryLedger {
  readonly calls: string[] = [];
  readonly rows = new Map<number, string>();

  add(d: LedgerDelivery): void {
    this.#write('add', d);
  }
  update(d: LedgerDelivery): void {
    this.#write('update', d);
  }
  end(d: LedgerDelivery): void {
    this.#write('end', d);
  }
  pending(): DeliveryRecord[] {
    this.calls.push('pending');
    return this.#read().filter((r) => r.status === 'pending');
  }
  history(query: HistoryQuery): DeliveryRecord[] {
    this.calls.push(`history ${JSON.stringify(query)}`);
    const all = this.#read()
      .reverse()
      .filter((r) => query.status === undefined || r.status === query.status);
    return all.slice(0, query.limit ?? all.length);
  }
  /** What a new process reads back: the pending records, which it then forgets (restore adds them anew). */
  takePending(): DeliveryRecord[] {
    const pending = this.pending();
    this.rows.clear();
    return pending;
  }
  #write(call: string, d: LedgerDelivery): void {
    this.calls.push(`${call} ${d.seq} ${d.status}`);
    this.rows.set(d.seq, JSON.stringify(d.record()));
  }
  #read(): DeliveryRecord[] {
    return [...this.rows.entries()].sort(([a], [b]) => a - b).map(([, text]) => JSON.parse(text));
  }
}

/** A receiver answering from a list (then 200), one answer per request, a tick later like a socket. */
function receiver(answers: number[]): Transport {
  return {
    async send() {
      await Promise.resolve();
      return { status: answers.shift() ?? 200, header: () => undefined };
    },
  };
}

const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('a DeliveryLedger of your own', () => {
  it("an engine's history(), snapshot() and restore go through it", async () => {
    const clock = new VirtualClock(T0);
    const ledger = new JsonLedger();
    const options: EngineOptions = {
      clock,
      integrations: { hook: WebhookIntegration({ url: 'http://127.0.0.1:9/hook' }) },
      delivery: { transport: receiver([500, 200, 500]), random: () => 0.5, ledger },
    };
    const engine = createEngine(options);
    engine.save(
      OnRunMetric({ scope: 'acme/vision', filter: RunEvent.metric('m').gt(0) }).do(
        SendWebhook({ integration: 'hook' }),
      ),
      { name: 'a', cooldownMs: 0 },
    );
    const fire = (n: number): string => {
      const [f] = engine.ingest({
        id: `e${n}`,
        source: '/t',
        type: 'run.metrics',
        data: { entity: 'acme', project: 'vision', runId: `r${n}`, metrics: { m: n } },
      });
      return (f as Firing).id;
    };
    const first = fire(1);
    const second = fire(2);
    await flush();
    // The first got 500 (a retry is due in 10 s), the second 200.
    expect(ledger.calls).toEqual(['add 0 pending', 'add 1 pending', 'update 0 pending', 'end 1 finished']);
    expect(engine.history()).toEqual(ledger.history({}));
    expect(engine.history().map((r) => [r.firingId, r.status])).toEqual([
      [second, 'finished'],
      [first, 'pending'],
    ]);
    expect(engine.history({ status: 'finished', limit: 1 }).map((r) => r.firingId)).toEqual([second]);
    expect(ledger.calls.at(-1)).toBe('history {"status":"finished","limit":1}');

    await engine.close();
    const state = JSON.parse(JSON.stringify(engine.snapshot()));
    expect(ledger.calls.at(-1)).toBe('pending');
    expect(state.deliveries).toEqual(JSON.parse(JSON.stringify(ledger.pending())));

    const next = new JsonLedger();
    const again = createEngine({ ...options, state, delivery: { ...options.delivery, ledger: next } });
    expect(next.calls).toEqual(['add 0 pending']);
    clock.advance(10_000);
    await flush();
    expect(next.calls.slice(1)).toEqual(['update 0 pending']);
    expect(again.history().map((r) => [r.firingId, r.attempts.map((a) => a.status)])).toEqual([
      [first, [500, 500]],
    ]);
    await again.close();
  });

  it('a standalone deliverer: what the ledger saved goes on in a new deliverer through restore()', async () => {
    const clock = new VirtualClock(T0);
    const ledger = new JsonLedger();
    const options = {
      clock,
      integrations: { hook: WebhookIntegration({ url: 'http://127.0.0.1:9/hook' }) },
      transport: receiver([503]),
      random: () => 0.5,
    };
    const deliverer = createDeliverer({ ...options, ledger });
    const firing: Firing = {
      id: 'fir_1',
      automationId: 'a1',
      automationName: 'a',
      event: { id: 'e1', source: '/t', type: 'tick' },
      time: T0,
      action: SendWebhook({ integration: 'hook' }),
    };
    deliverer.deliver(firing);
    await flush();
    expect(deliverer.pending()).toEqual(ledger.pending());
    await deliverer.close();

    // A new process: the ledger reads back what it wrote, and the deliverer takes it over.
    const saved = ledger.takePending();
    expect(saved.map((r) => [r.firingId, r.dueTime, r.attempts.length])).toEqual([['fir_1', T0 + 30_000, 1]]);
    const next = createDeliverer({ ...options, ledger });
    next.restore(saved);
    expect(ledger.calls.at(-1)).toBe('add 0 pending');
    clock.advance(30_000);
    await flush();
    expect(next.history().map((r) => [r.status, r.attempts.map((a) => a.status)])).toEqual([
      ['finished', [503, 200]],
    ]);
    await next.close();
  });
});
