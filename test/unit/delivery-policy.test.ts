import { describe, expect, it } from 'vitest';
import {
  createEngine,
  type DeliveryRecord,
  DoNothing,
  type HttpRequest,
  OnRunMetric,
  RunEvent,
  SendWebhook,
  type Transport,
  WebhookIntegration,
} from '../../src/index.js';
import {
  judgeStatus,
  parseRetryAfter,
  RETRY_SCHEDULE_MS,
  retryDelay,
} from '../../src/sinks/delivery/retry-policy.js';
import { VirtualClock } from '../../src/testing/index.js';
import { row, T0 } from '../helpers/fixture.js';

const MIN = 60_000;

/** An in-memory receiver answering from a script (the last answer repeats); records what it was sent and when. */
function scripted(clock: VirtualClock, answers: (number | [number, Record<string, string>] | 'hang')[]) {
  const seen: { time: number; request: HttpRequest }[] = [];
  const transport: Transport = {
    send(request, signal) {
      seen.push({ time: clock.now(), request });
      const answer = answers[Math.min(seen.length - 1, answers.length - 1)] ?? 200;
      if (answer === 'hang')
        return new Promise((_, reject) =>
          signal.addEventListener('abort', () => reject(new Error('aborted'))),
        );
      const [status, headers] = typeof answer === 'number' ? [answer, {}] : answer;
      return Promise.resolve({ status, header: (name: string) => headers[name] });
    },
  };
  return { seen, transport };
}

function setup(
  answers: Parameters<typeof scripted>[1],
  save: Record<string, unknown> = {},
  delivery: Record<string, unknown> = {},
) {
  const clock = new VirtualClock(T0);
  const { seen, transport } = scripted(clock, answers);
  const engine = createEngine({
    clock,
    integrations: { hook: WebhookIntegration({ url: 'http://127.0.0.1:9/hook' }) },
    delivery: { transport, random: () => 0.5, ...delivery },
  });
  const records: DeliveryRecord[] = [];
  engine.deliveries$.subscribe((r) => records.push(r));
  engine.save(
    OnRunMetric({ scope: 'acme/vision', filter: RunEvent.metric('m').gt(0) }).do(
      SendWebhook({ integration: 'hook' }),
    ),
    {
      name: 'a',
      cooldownMs: 0,
      ...save,
    },
  );
  /** Advance virtual time in steps, letting each attempt settle. */
  // The in-memory transport answers on microtasks; a hung attempt waits for the clock, so never await idle() here.
  const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
  const run = async (ms: number, step = 1000) => {
    await settle();
    for (let t = 0; t < ms; t += step) {
      clock.advance(Math.min(step, ms - t));
      await settle();
    }
  };
  return { clock, engine, seen, records, run };
}

describe('the retry schedule (§8), on virtual time', () => {
  it('retries after 10 s, 30 s, 1 min, 5 min, 10 min, 30 min, 1 h, 3 h, 6 h, then every 12 h', async () => {
    const { engine, seen, run } = setup([500], {
      retryPolicy: { maxDeliveryAttempts: 12, eventTimeToLiveInMinutes: 1440 },
    });
    engine.ingest(row('r', { m: 1 }));
    await engine.idle();
    await run(24 * 60 * MIN, 5000);
    const gaps = seen.slice(1).map((s, i) => s.time - (seen[i]?.time ?? 0));
    expect(gaps).toEqual([...RETRY_SCHEDULE_MS, 12 * 60 * MIN].slice(0, gaps.length));
    // The schedule sums to 10.8 h, so the 11th attempt comes at 22.8 h; a 12th (34.8 h) would pass the 24 h time to live.
    expect(seen).toHaveLength(11);
    expect(engine.history()[0]).toMatchObject({ status: 'failed', deadLetterReason: 'TimeToLiveExceeded' });
  });

  it('jitter stays within ±10 % and never goes below the status minimums or Retry-After', () => {
    for (const r of [0, 0.25, 0.5, 0.999]) {
      const d = retryDelay(1, () => r);
      expect(d).toBeGreaterThanOrEqual(9000);
      expect(d).toBeLessThanOrEqual(11000);
    }
    expect(retryDelay(1, () => 0, 404)).toBe(5 * MIN);
    expect(retryDelay(1, () => 0, 408)).toBe(2 * MIN);
    expect(retryDelay(1, () => 0, 503)).toBe(30_000);
    expect(retryDelay(1, () => 0, 429, 90_000)).toBe(90_000);
    expect(retryDelay(9, () => 0.5, 503)).toBe(6 * 60 * MIN);
  });

  it('Retry-After is read as seconds or as an HTTP-date', () => {
    expect(parseRetryAfter('120', T0)).toBe(120_000);
    expect(parseRetryAfter(new Date(T0 + 45_000).toUTCString(), T0)).toBe(45_000);
    expect(parseRetryAfter(new Date(T0 - 45_000).toUTCString(), T0)).toBe(0);
    expect(parseRetryAfter('soon', T0)).toBeUndefined();
    expect(parseRetryAfter(undefined, T0)).toBeUndefined();
  });

  it('success only on 200–204; 400, 401, 403, 413 are final; the rest are retried', () => {
    expect([199, 200, 201, 202, 203, 204, 205].map((s) => judgeStatus(s).kind)).toEqual([
      'retry',
      'delivered',
      'delivered',
      'delivered',
      'delivered',
      'delivered',
      'retry',
    ]);
    expect([400, 401, 403, 413].map((s) => judgeStatus(s).kind)).toEqual([
      'give-up',
      'give-up',
      'give-up',
      'give-up',
    ]);
    expect([404, 408, 429, 500, 502, 503].map((s) => judgeStatus(s).kind)).toEqual([
      'retry',
      'retry',
      'retry',
      'retry',
      'retry',
      'retry',
    ]);
  });

  it('a 429 with Retry-After waits as long as the receiver asked', async () => {
    const { engine, seen, run } = setup([[429, { 'retry-after': '300' }], 200]);
    engine.ingest(row('r', { m: 1 }));
    await run(10 * MIN);
    expect(seen.map((s) => s.time - T0)).toEqual([0, 300_000]);
    expect(engine.history()[0]?.status).toBe('finished');
  });

  it('an attempt that hangs is aborted after 30 s (engine clock) and retried', async () => {
    const { engine, seen, run } = setup(['hang', 200]);
    engine.ingest(row('r', { m: 1 }));
    await run(30_000);
    expect(engine.history()[0]?.attempts).toEqual([
      expect.objectContaining({ outcome: 'TimedOut', time: T0, durationMs: 30_000 }),
    ]);
    await run(60_000);
    expect(seen).toHaveLength(2);
    expect(engine.history()[0]?.status).toBe('finished');
  });

  it('maxDeliveryAttempts ends it with a dead letter', async () => {
    const { engine, seen, run } = setup([500], { retryPolicy: { maxDeliveryAttempts: 3 } });
    const letters: unknown[] = [];
    engine.on('dead-lettered', (l) => letters.push(l));
    engine.ingest(row('r', { m: 1 }));
    await run(10 * MIN);
    expect(seen).toHaveLength(3);
    expect(letters).toEqual([
      expect.objectContaining({
        deadLetterReason: 'MaxDeliveryAttemptsExceeded',
        deliveryAttempts: 3,
        lastDeliveryOutcome: 'GenericError',
        lastHttpStatusCode: 500,
        publishTime: T0,
        lastDeliveryAttemptTime: T0 + 40_000,
      }),
    ]);
  });
});

describe('rate limits and concurrency', () => {
  it('an automation rate limit queues by default, or skips', async () => {
    const queued = setup([200], { rateLimit: { perSecond: 1 } });
    for (let i = 0; i < 3; i++) queued.engine.ingest(row('r', { m: 1 }));
    await queued.run(5000, 250);
    expect(queued.seen.map((s) => s.time - T0)).toEqual([0, 1000, 2000]);
    const skipped = setup([200], { rateLimit: { perSecond: 1, onLimit: 'skip' } });
    for (let i = 0; i < 3; i++) skipped.engine.ingest(row('r', { m: 1 }));
    await skipped.run(5000);
    expect(skipped.seen).toHaveLength(1);
    expect(skipped.engine.history({ status: 'skipped' })).toHaveLength(2);
  });

  it('per-integration rate limits come from the delivery options', async () => {
    const { engine, seen, run } = setup([200], {}, { rateLimits: { hook: { perSecond: 2, burst: 2 } } });
    for (let i = 0; i < 4; i++) engine.ingest(row('r', { m: 1 }));
    await run(3000, 100);
    expect(seen.map((s) => s.time - T0)).toEqual([0, 0, 500, 1000]);
  });

  it('never more attempts in flight than the concurrency limit', async () => {
    const { engine, seen, run } = setup(['hang'], {}, { concurrency: 2, attemptTimeoutMs: 1000 });
    for (let i = 0; i < 5; i++) engine.ingest(row('r', { m: 1 }));
    await run(0);
    expect(engine.stats().deliveriesInFlight).toBe(2);
    expect(seen).toHaveLength(2);
    await run(1000, 1000);
    expect(seen).toHaveLength(4);
  });
});

describe('history and records', () => {
  it('every firing has a record: DoNothing is finished with no attempts; the stream shows each change', async () => {
    const { engine, records, run } = setup([500, 200]);
    engine.save(OnRunMetric({ scope: 'acme', filter: RunEvent.metric('m').gt(0) }).do(DoNothing()), {
      name: 'noop',
      cooldownMs: 0,
    });
    engine.ingest(row('r', { m: 1 }));
    await run(20_000);
    expect(records.map((r) => [r.automationName, r.status, r.attempts.length])).toEqual([
      ['a', 'pending', 0],
      ['noop', 'finished', 0],
      ['a', 'pending', 1],
      ['a', 'finished', 2],
    ]);
    const [hook] = engine.history({ automationId: engine.list({ name: 'a' })[0]?.id ?? '' });
    expect(hook?.attempts.map((a) => [a.status, a.outcome, a.time - T0])).toEqual([
      [500, 'GenericError', 0],
      [200, 'Delivered', 10_000],
    ]);
    expect(engine.history({ limit: 1 })).toHaveLength(1);
  });

  it('history is bounded; pending records are never dropped', async () => {
    const { engine, run } = setup([200], {}, { historyLimit: 3 });
    for (let i = 0; i < 6; i++) engine.ingest(row('r', { m: 1 }));
    await run(1000);
    expect(engine.history()).toHaveLength(3);
  });
});
