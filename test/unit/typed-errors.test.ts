import { from } from 'rxjs';
import { describe, expect, it } from 'vitest';
import {
  createEngine,
  DoNothing,
  fromCloudEvent,
  fromMlflowWebhook,
  isDefinitionError,
  OnEvent,
  parseAutomation,
  SendWebhook,
  verifyWebhook,
} from '../../src/index.js';
import { RecordingSink, VirtualClock } from '../../src/testing/index.js';

const SECRET = `whsec_${Buffer.from('k'.repeat(32)).toString('base64')}`;

/** `depth` objects nested in each other, built in a loop. */
function nested(depth: number, leaf: unknown = 1): unknown {
  let v: unknown = leaf;
  for (let d = 0; d < depth; d++) v = { a: v };
  return v;
}
function cyclic(): Record<string, unknown> {
  const o: Record<string, unknown> = { a: 1 };
  o['self'] = o;
  return o;
}

/** The call throws a DefinitionError (and nothing else) whose first issue matches `issue`. */
function refused(call: () => unknown, issue: Record<string, unknown> = {}): void {
  let thrown: unknown;
  try {
    call();
  } catch (error) {
    thrown = error;
  }
  expect(isDefinitionError(thrown), `threw ${String(thrown)}`).toBe(true);
  if (isDefinitionError(thrown)) expect(thrown.issues[0]).toMatchObject(issue);
}

function engine() {
  return createEngine({ clock: new VirtualClock(0), integrations: { hook: new RecordingSink() } });
}

describe('only typed errors leave the public API', () => {
  it('parseAutomation: nesting of 1,500 and more is refused before zod (too_big), object or JSON text', () => {
    const deep = {
      event: { type: 'OnEvent' },
      action: { type: 'SendWebhook', integration: 'hook', payload: { p: nested(1_500) } },
    };
    refused(() => parseAutomation(deep), { code: 'too_big', message: expect.stringContaining('64') });
    refused(() => parseAutomation(JSON.stringify(deep)), { code: 'too_big' });
    // A deep run filter would have been evaluated recursively at event time: refused at save too.
    let filter: unknown = { display_name: 'x' };
    for (let d = 0; d < 2_000; d++) filter = { $not: filter };
    refused(
      () =>
        parseAutomation({
          event: {
            type: 'OnRunMetric',
            scope: 'a/b',
            filter: { type: 'MetricNonFiniteFilter', name: 'x' },
            runFilter: filter,
          },
          action: { type: 'DoNothing' },
        }),
      { code: 'too_big' },
    );
  });

  it('fromMlflowWebhook: a deep body, and a Map of headers with a key that is not text', () => {
    const deepText = `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`;
    refused(() => fromMlflowWebhook(deepText, {}), { code: 'too_big' });
    refused(() => fromMlflowWebhook(nested(5_000) as Record<string, unknown>, {}), { code: 'too_big' });
    const headers = new Map<unknown, unknown>([[1, 'x']]);
    refused(() => fromMlflowWebhook('{}', headers as never, 's'), {
      code: 'invalid_type',
      path: ['headers'],
    });
  });

  it('save with a cyclic payload; update and enable with a cyclic or BigInt id', () => {
    const e = engine();
    const draft = {
      event: { type: 'OnEvent' },
      action: { type: 'SendWebhook', integration: 'hook', payload: cyclic() },
    };
    refused(() => e.save(draft as never, { name: 'x' }), {
      code: 'invalid_value',
      message: expect.stringContaining('cycle'),
    });
    refused(() => e.save(OnEvent({}).do(DoNothing()), { name: 'y', description: cyclic() as never }), {
      code: 'invalid_value',
    });
    refused(() => e.update(cyclic() as never, {}), { path: ['id', 'self'] });
    refused(() => e.enable(10n as never), { path: ['id'] });
    refused(() => e.disable(Symbol('id') as never), { path: ['id'] });
    refused(() => e.delete({} as never), { path: ['id'] });
  });

  it('list(null), importAutomations(x, null) and an import mode that is neither merge nor replace', () => {
    const e = engine();
    e.save(OnEvent({}).do(SendWebhook({ integration: 'hook' })), { name: 'a' });
    refused(() => e.list(null as never));
    const file = e.exportAutomations();
    refused(() => e.importAutomations(file, null as never));
    refused(() => e.importAutomations(file, { mode: 'bogus' } as never), { path: ['mode'] });
    refused(() => e.as('p').importAutomations(file, { mode: 'bogus' } as never), { path: ['mode'] });
    expect(e.list()).toHaveLength(1);
  });

  it('verifyWebhook: null headers, and 200,000 values of a header', () => {
    refused(() => verifyWebhook(SECRET, null as never, 'b'), { path: ['headers'] });
    const many = {
      'webhook-id': new Array(200_000).fill('x'),
      'webhook-timestamp': '1',
      'webhook-signature': 'v1,x',
    };
    expect(() => verifyWebhook(SECRET, many, 'b')).toThrow(
      expect.objectContaining({ name: 'WebhookVerificationError' }),
    );
  });

  it('on, once and off take only the engine event names, never turning an object into a key', () => {
    const e = engine();
    let ran = 0;
    const name = {
      toString: () => {
        ran += 1;
        return 'fired';
      },
    };
    refused(() => e.on(name as never, (() => undefined) as never), { path: ['event'] });
    refused(() => e.once('bogus' as never, (() => undefined) as never), { path: ['event'] });
    refused(() => e.off(Symbol('fired') as never, (() => undefined) as never), { path: ['event'] });
    expect(ran).toBe(0);
    expect(() => e.on('fired', () => undefined).off('fired', () => undefined)).not.toThrow();
  });

  it('fromCloudEvent(promise) and connect({ subscribe(){} })', () => {
    refused(() => fromCloudEvent(Promise.resolve({ id: '1' })), {
      message: expect.stringContaining('Promise'),
    });
    const e = engine();
    expect(() => e.connect({ subscribe() {} } as never)).not.toThrow();
    expect(() => e.connect(from([1]))).not.toThrow();
  });
});
