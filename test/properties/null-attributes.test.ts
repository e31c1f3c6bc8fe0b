import fc from 'fast-check';
import { expect, it } from 'vitest';
import {
  createEngine,
  DoNothing,
  fromCloudEvent,
  type Issue,
  isDefinitionError,
  OnCreateArtifact,
  OnEvent,
  OnRunMetric,
  OnRunState,
  RunEvent,
} from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';

const runs = Number(process.env['FC_RUNS'] ?? 200);
const T0 = Date.parse('2026-01-01T00:00:00Z');

/** CloudEvents JSON format §2.2: a `null` attribute is unset. The model: the same event without it. */
function model(event: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(event).filter(([key, v]) => key === 'data' || v !== null));
}

const place = { entity: 'acme', project: 'vision' };
const data = fc.oneof(
  fc.record({
    type: fc.constant('run.metrics'),
    data: fc.constant({ ...place, runId: 'r', metrics: { loss: 1 } }),
  }),
  fc.record({
    type: fc.constant('run.state'),
    data: fc.constantFrom('running', 'finished', 'failed').map((state) => ({ ...place, runId: 'r', state })),
  }),
  fc.record({
    type: fc.constant('artifact.created'),
    data: fc.nat({ max: 3 }).map((version) => ({ ...place, collection: 'c', version })),
  }),
  fc.record({ type: fc.constant('azure.thing'), data: fc.oneof(fc.constant(null), fc.constant({ a: 1 })) }),
);

/** An optional attribute: absent, present, or `null`. */
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(fc.option(arb, { nil: null }), { nil: undefined });

const event = fc
  .record({
    body: data,
    subject: optional(fc.constantFrom('runs/r', 'models/m', '')),
    time: optional(fc.integer({ min: T0, max: T0 + 1000 })),
    specversion: optional(fc.constant('1.0')),
    sequence: optional(fc.nat({ max: 5 })),
    dataschema: optional(fc.constant('#1')),
    comexampleothervalue: optional(fc.constantFrom(5, 'x')),
    unsetextension: optional(fc.constant('y')),
    id: fc.option(fc.constantFrom('e1', 'e2', 'e3', 'e4'), { nil: null, freq: 10 }),
  })
  .map(({ body, ...attributes }) => {
    const out: Record<string, unknown> = { source: '/s', ...body };
    for (const [key, value] of Object.entries(attributes)) if (value !== undefined) out[key] = value;
    return out;
  });

function engine() {
  const e = createEngine({ clock: new VirtualClock(T0) });
  const issues: Issue[] = [];
  e.errors$.subscribe((i) => issues.push(i));
  const save = (trigger: Parameters<typeof e.save>[0], name: string) =>
    e.save(trigger, { name, cooldownMs: 0 });
  save(OnRunMetric({ scope: 'acme', filter: RunEvent.metric('loss').gt(0) }).do(DoNothing()), 'metric');
  save(OnRunState({ scope: 'acme', states: ['failed', 'finished'] }).do(DoNothing()), 'state');
  save(OnCreateArtifact({ scope: 'acme' }).do(DoNothing()), 'created');
  save(OnEvent({ subjectBeginsWith: 'runs/' }).do(DoNothing()), 'subject');
  save(
    OnEvent({
      advancedFilters: [
        { operatorType: 'IsNullOrUndefined', key: 'unsetextension' },
        { operatorType: 'StringNotIn', key: 'comexampleothervalue', values: ['x'] },
      ],
    }).do(DoNothing()),
    'extensions',
  );
  return { engine: e, issues };
}

it('a null attribute behaves exactly as an absent one: ingest, the fast path, fromCloudEvent', () => {
  fc.assert(
    fc.property(fc.array(event, { maxLength: 12 }), (sent) => {
      const withNulls = engine();
      const without = engine();
      const a = withNulls.engine.ingestBatch(structuredClone(sent));
      const b = without.engine.ingestBatch(sent.map(model));
      expect(a).toEqual(b);
      const issue = (i: Issue) => [i.code, i.path, i.message];
      expect(withNulls.issues.map(issue)).toEqual(without.issues.map(issue));
      expect(withNulls.engine.stats()).toEqual(without.engine.stats());
      for (const e of sent) {
        const read = (input: unknown) => {
          try {
            return fromCloudEvent(input);
          } catch (error) {
            if (isDefinitionError(error)) return error.issues.map(issue);
            throw error;
          }
        };
        expect(read(e)).toEqual(read(model(e)));
      }
    }),
    { numRuns: runs },
  );
});
