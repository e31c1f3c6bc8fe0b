import { describe, expectTypeOf, it } from 'vitest';
import {
  type ActionDefinition,
  type Automation,
  type CloudEvent,
  createDeliverer,
  createEngine,
  type DefinitionError,
  type Deliverer,
  type DeliveryLedger,
  type DeliveryRecord,
  DoNothing,
  type Engine,
  type Evidence,
  type Firing,
  type IngestResult,
  type Issue,
  isDefinitionError,
  MemoryLedger,
  type MetricChangeFilter,
  MetricThresholdFilter,
  type MetricZScoreFilter,
  type NewAutomation,
  OnRunMetric,
  parseAutomation,
  RunEvent,
} from '../../src/index.js';
import { RecordingSink, VirtualClock } from '../../src/testing/index.js';

describe('public types', () => {
  it('createEngine returns an Engine, and ingest a readonly Firing[]', () => {
    const engine = createEngine({ clock: new VirtualClock(0), integrations: { audit: new RecordingSink() } });
    expectTypeOf(engine).toEqualTypeOf<Engine>();
    expectTypeOf(createEngine).parameter(0).toExtend<object | undefined>();
    expectTypeOf(engine.ingest).returns.toEqualTypeOf<readonly Firing[]>();
    expectTypeOf(engine.ingest).parameter(0).toBeUnknown();
  });

  it('apply gives an IngestResult, applyBatch a readonly list of them', () => {
    const engine = createEngine({ clock: new VirtualClock(0) });
    expectTypeOf(engine.apply).returns.toEqualTypeOf<IngestResult>();
    expectTypeOf(engine.applyBatch).returns.toEqualTypeOf<readonly IngestResult[]>();
    expectTypeOf<IngestResult['status']>().toEqualTypeOf<'accepted' | 'rejected' | 'duplicate'>();
    expectTypeOf<IngestResult['issues']>().toEqualTypeOf<readonly Issue[]>();
    expectTypeOf<IngestResult['firings']>().toEqualTypeOf<readonly Firing[]>();
  });

  it('Firing has id, time, optional evidence, the event and the action', () => {
    expectTypeOf<Firing['id']>().toEqualTypeOf<string>();
    expectTypeOf<Firing['time']>().toEqualTypeOf<number>();
    expectTypeOf<Firing['evidence']>().toEqualTypeOf<Evidence | undefined>();
    expectTypeOf<Firing>().toHaveProperty('evidence');
    expectTypeOf<Firing['automationId']>().toEqualTypeOf<string>();
    expectTypeOf<Firing['automationName']>().toEqualTypeOf<string>();
    expectTypeOf<Firing['event']>().toEqualTypeOf<CloudEvent>();
    expectTypeOf<Firing['action']>().toEqualTypeOf<ActionDefinition>();
    expectTypeOf<Firing['runId']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<{ id: 'x'; time: 1; automationId: 'a'; automationName: 'n' }>().not.toExtend<Firing>();
  });

  it('Evidence says why', () => {
    expectTypeOf<Evidence['metric']>().toEqualTypeOf<string>();
    expectTypeOf<Evidence['aggregate']>().toEqualTypeOf<number>();
    expectTypeOf<Evidence['values']>().toExtend<readonly number[]>();
  });

  it('MetricThresholdFilter returns its type, tagged with a literal', () => {
    const filter = MetricThresholdFilter({
      name: 'accuracy',
      window: 5,
      agg: 'mean',
      cmp: '>',
      threshold: 0.6,
    });
    expectTypeOf(filter).toEqualTypeOf<MetricThresholdFilter>();
    expectTypeOf(filter.type).toEqualTypeOf<'MetricThresholdFilter'>();
    expectTypeOf<MetricThresholdFilter['type']>().not.toEqualTypeOf<string>();
    expectTypeOf(filter.cmp).toEqualTypeOf<'>' | '>=' | '<' | '<=' | '==' | '!='>();
    expectTypeOf(RunEvent.metric('accuracy').mean(5).gt(0.6)).toEqualTypeOf<MetricThresholdFilter>();
    expectTypeOf(RunEvent.metric('loss').decreasesBy({ frac: 0.25 })).toEqualTypeOf<MetricChangeFilter>();
    expectTypeOf(RunEvent.metric('g').zscore()).toExtend<MetricZScoreFilter>();
    expectTypeOf(RunEvent.metric('g').zscore(30).lt(-3)).toEqualTypeOf<MetricZScoreFilter>();
    expectTypeOf(RunEvent.metric('g').zscore(30).abs().gt(3)).toEqualTypeOf<MetricZScoreFilter>();
    expectTypeOf(RunEvent.metric('g').zscore(30, { threshold: 4 })).toEqualTypeOf<MetricZScoreFilter>();
    expectTypeOf<MetricChangeFilter['type']>().toEqualTypeOf<'MetricChangeFilter'>();
  });

  it('a filter input refuses an unknown cmp at compile time', () => {
    // @ts-expect-error: 'gt' is not a comparison
    expectTypeOf(MetricThresholdFilter).toBeCallableWith({ name: 'x', cmp: 'gt', threshold: 1 });
    expectTypeOf(MetricThresholdFilter).toBeCallableWith({ name: 'x', cmp: '$gt', threshold: 1 });
  });

  it('OnRunMetric(...).do(DoNothing()) returns a NewAutomation, and a trigger has no then', () => {
    const trigger = OnRunMetric({ scope: 'acme/vision', filter: RunEvent.metric('loss').nonFinite() });
    expectTypeOf(trigger.do(DoNothing())).toEqualTypeOf<NewAutomation>();
    expectTypeOf(trigger.type).toEqualTypeOf<'OnRunMetric'>();
    expectTypeOf(trigger).not.toHaveProperty('then');
    expectTypeOf(parseAutomation).returns.toEqualTypeOf<NewAutomation>();
    expectTypeOf(parseAutomation).parameter(0).toBeUnknown();
  });

  it('DefinitionError carries readonly issues, and isDefinitionError narrows', () => {
    expectTypeOf<DefinitionError['issues']>().toEqualTypeOf<readonly Issue[]>();
    expectTypeOf<Issue['path']>().toEqualTypeOf<readonly (string | number)[]>();
    const error: unknown = new Error('x');
    if (isDefinitionError(error)) expectTypeOf(error).toEqualTypeOf<DefinitionError>();
  });

  it('VirtualClock has now, advance and set', () => {
    const clock = new VirtualClock(Date.parse('2026-01-01T00:00:00Z'));
    expectTypeOf(clock.now).toEqualTypeOf<() => number>();
    expectTypeOf(clock.advance).parameters.toEqualTypeOf<[ms: number]>();
    expectTypeOf(clock.advance).returns.toEqualTypeOf<number>();
    expectTypeOf(clock.set).parameters.toEqualTypeOf<[ms: number]>();
    expectTypeOf(clock.set).returns.toEqualTypeOf<number>();
    expectTypeOf(VirtualClock).constructorParameters.toEqualTypeOf<[start?: number]>();
  });

  it('createDeliverer returns a Deliverer fed with firings; MemoryLedger is a DeliveryLedger; an Automation gives its settings', () => {
    const deliverer = createDeliverer({ clock: new VirtualClock(0), ledger: new MemoryLedger() });
    expectTypeOf(deliverer).toEqualTypeOf<Deliverer>();
    expectTypeOf(deliverer.deliver).parameter(0).toEqualTypeOf<Firing>();
    expectTypeOf(deliverer.pending).returns.toEqualTypeOf<DeliveryRecord[]>();
    expectTypeOf<MemoryLedger>().toExtend<DeliveryLedger>();
    expectTypeOf<(id: string) => Automation | undefined>().toExtend<
      NonNullable<Parameters<typeof createDeliverer>[0]>['automation']
    >();
  });
});
