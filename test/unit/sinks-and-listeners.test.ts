import { from, Subject, throwError } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { CallbackSink, type Firing, isEngineClosedError, RunEvent, SendWebhook } from '../../src/index.js';
import { RecordingSink } from '../../src/testing/index.js';
import { fixture, row, watch } from '../helpers/fixture.js';

const gt0 = RunEvent.metric('m').gt(0);

describe('sinks', () => {
  it('the integration an action names receives each firing with an AbortSignal', () => {
    const audit = new RecordingSink();
    const { engine } = fixture({ integrations: { audit } });
    watch(engine, gt0);
    engine.save(
      { ...gt0Trigger(), action: SendWebhook({ integration: 'audit' }) },
      { name: 'hook', cooldownMs: 0 },
    );
    const fired = engine.ingest(row('r', { m: 1 }));
    expect(fired).toHaveLength(2);
    expect(audit.firings).toEqual([fired[1]]); // DoNothing delivers nothing
    expect(audit.ids).toEqual([fired[1]?.id]);
  });

  it('a sink that throws or rejects is reported on errors$ and the stream goes on', async () => {
    const seen: Firing[] = [];
    const { engine, issues } = fixture({
      integrations: {
        throws: CallbackSink(() => {
          throw new Error('boom');
        }),
        rejects: CallbackSink(async () => {
          throw new Error('later');
        }),
        fine: CallbackSink((f) => {
          seen.push(f);
        }),
      },
    });
    for (const name of ['throws', 'rejects', 'fine']) {
      engine.save({ ...gt0Trigger(), action: SendWebhook({ integration: name }) }, { name, cooldownMs: 0 });
    }
    expect(engine.ingest(row('r', { m: 1 }))).toHaveLength(3);
    expect(engine.ingest(row('r', { m: 2 }))).toHaveLength(3);
    await engine.close();
    expect(seen).toHaveLength(2);
    expect(issues.filter((i) => i.code === 'sink_failed').map((i) => i.message)).toEqual([
      'integration "throws" failed: boom',
      'integration "throws" failed: boom',
      'integration "rejects" failed: later',
      'integration "rejects" failed: later',
    ]);
    expect(issues[0]).toMatchObject({ path: ['action', 'integration'], automationId: expect.any(String) });
  });

  it('close waits for deliveries in flight, then refuses intake', async () => {
    let release: () => void = () => undefined;
    const done: string[] = [];
    const { engine } = fixture({
      integrations: {
        slow: CallbackSink(
          (f) =>
            new Promise<void>((resolve) => {
              release = () => {
                done.push(f.id);
                resolve();
              };
            }),
        ),
      },
    });
    engine.save({ ...gt0Trigger(), action: SendWebhook({ integration: 'slow' }) }, { name: 's' });
    engine.ingest(row('r', { m: 1 }));
    expect(engine.stats().deliveriesInFlight).toBe(1);
    const closing = engine.close();
    expect(engine.closed).toBe(true);
    setTimeout(() => release(), 5);
    await closing;
    expect(done).toHaveLength(1);
    let caught: unknown;
    try {
      engine.ingest(row('r', { m: 1 }));
    } catch (error) {
      caught = error;
    }
    expect(isEngineClosedError(caught)).toBe(true);
  });

  it('close with abort signals deliveries in flight', async () => {
    const { engine } = fixture({
      integrations: {
        waits: CallbackSink(
          (_f, signal) => new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve())),
        ),
      },
    });
    engine.save({ ...gt0Trigger(), action: SendWebhook({ integration: 'waits' }) }, { name: 'w' });
    engine.ingest(row('r', { m: 1 }));
    await engine.close({ abort: true });
    expect(engine.stats().deliveriesInFlight).toBe(0);
  });
});

function gt0Trigger() {
  return {
    event: {
      type: 'OnRunMetric' as const,
      scope: { type: 'project' as const, entity: 'acme', project: 'vision' },
      filter: gt0,
    },
    action: { type: 'DoNothing' as const },
  };
}

describe('streams and listeners', () => {
  it('firings$ and on("fired") see every firing in order', () => {
    const { engine } = fixture();
    watch(engine, gt0);
    const viaStream: string[] = [];
    const viaEmitter: string[] = [];
    engine.firings$.subscribe((f) => viaStream.push(f.id));
    engine.on('fired', (f) => viaEmitter.push(f.id));
    const ids = [...engine.ingest(row('r', { m: 1 })), ...engine.ingest(row('r', { m: 2 }))].map((f) => f.id);
    expect(viaStream).toEqual(ids);
    expect(viaEmitter).toEqual(ids);
  });

  it('a throwing listener is reported and the other listeners still run', () => {
    const { engine, issues } = fixture();
    watch(engine, gt0);
    const after: string[] = [];
    engine.on('fired', () => {
      throw new Error('listener bug');
    });
    engine.on('fired', (f) => after.push(f.id));
    engine.on('error', () => {
      throw new Error('error listener bug'); // must not loop
    });
    expect(engine.ingest(row('r', { m: 1 }))).toHaveLength(1);
    expect(after).toHaveLength(1);
    expect(issues.map((i) => [i.code, i.path])).toEqual([['listener_failed', ['fired']]]);
  });

  it('off removes a listener; once runs once', () => {
    const { engine } = fixture();
    watch(engine, gt0);
    const calls: string[] = [];
    const on = () => calls.push('on');
    engine.on('fired', on);
    engine.once('fired', () => calls.push('once'));
    engine.ingest(row('r', { m: 1 }));
    engine.off('fired', on);
    engine.ingest(row('r', { m: 1 }));
    expect(calls).toEqual(['on', 'once']);
  });

  it('on("error") receives the same issues as errors$', () => {
    const { engine, issues } = fixture();
    const heard: string[] = [];
    engine.on('error', (i) => heard.push(i.code));
    engine.ingest({ bad: true });
    expect(heard).toEqual(issues.map((i) => i.code));
    expect(heard.length).toBeGreaterThan(0);
  });

  it('connect takes a source that completes while subscribing (from(array))', () => {
    const { engine, issues } = fixture();
    watch(engine, gt0);
    const subscription = engine.connect(from([row('r', { m: 1 }), row('r', { m: 2 })]));
    expect(subscription.closed).toBe(true);
    expect(engine.stats().firings).toBe(2);
    const failing = engine.connect(throwError(() => new Error('at once')));
    expect(failing.closed).toBe(true);
    expect(issues.map((i) => i.code)).toEqual(['source_error']);
  });

  it('connect ingests an observable; its error is reported and ends only that connection', () => {
    const { engine, issues } = fixture();
    watch(engine, gt0);
    const fired: string[] = [];
    engine.on('fired', (f) => fired.push(f.id));
    const source = new Subject<unknown>();
    const subscription = engine.connect(source);
    source.next(row('r', { m: 1 }));
    source.next('garbage');
    source.next(row('r', { m: 2 }));
    source.error(new Error('upstream down'));
    expect(fired).toHaveLength(2);
    expect(issues.map((i) => i.code)).toEqual(['invalid_type', 'source_error']);
    expect(subscription.closed).toBe(true);
    expect(engine.ingest(row('r', { m: 3 }))).toHaveLength(1);
  });
});
