import fc from 'fast-check';
import { anyFilter } from './commands.js';

/** Automation JSON as `parseAutomation` reads it: every trigger, filter, scope form and action, all valid. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
/** Drop the keys whose value is undefined, so the JSON holds only what was written. */
const defined = (o: Record<string, Json | undefined>): { [key: string]: Json } =>
  Object.fromEntries(Object.entries(o).filter((e): e is [string, Json] => e[1] !== undefined));

const runScope = fc.constantFrom<Json>(
  'acme',
  'acme/vision',
  { entity: 'acme' },
  { entity: 'acme', project: 'vision' },
  { type: 'project', entity: 'acme', project: 'vision' },
);
const anyScope = fc.oneof(
  runScope,
  fc.constantFrom<Json>(
    'acme/vision/resnet',
    { entity: 'acme', registry: 'model' },
    { entity: 'acme', registry: 'model', collection: 'resnet' },
    { type: 'collection', entity: 'acme', project: 'vision', collection: 'resnet' },
  ),
);
const pattern = fc.constantFrom('^sweep-', 'prod', '^(a|b)$', 'europe.*');
const runFilter = fc
  .record({ user: maybe(fc.constantFrom('ana', 'bob')), runName: maybe(pattern) })
  .map(defined);

const onRunMetric = fc
  .record({
    type: fc.constant('OnRunMetric'),
    scope: runScope,
    filter: anyFilter.map((f) => ({ ...f }) as Json),
    runFilter: maybe(runFilter),
  })
  .map(defined);
const onRunState = fc
  .record({
    type: fc.constant('OnRunState'),
    scope: runScope,
    states: fc.subarray(['running', 'finished', 'failed', 'crashed'], { minLength: 1 }),
    runFilter: maybe(runFilter),
  })
  .map(defined);
const ALIAS = ['OnCreateArtifact', 'OnLinkArtifact', 'OnUnlinkArtifact', 'OnAddArtifactAlias'];
const TAG = ['OnAddArtifactTag', 'OnRemoveArtifactTag', 'OnAddCollectionTag', 'OnRemoveCollectionTag'];
const artifact = fc
  .record({
    type: fc.constantFrom(...ALIAS, ...TAG),
    scope: anyScope,
    collection: maybe(fc.constantFrom('resnet', 'bert')),
    pattern: maybe(pattern),
  })
  .map(({ pattern: p, ...t }) => defined({ ...t, [ALIAS.includes(t.type) ? 'alias' : 'tag']: p }));
const advancedFilter: fc.Arbitrary<Json> = fc.oneof(
  fc.record({ operatorType: fc.constant('NumberLessThan'), key: fc.constant('data.x'), value: fc.integer() }),
  fc.record({
    operatorType: fc.constant('NumberIn'),
    key: fc.constant('data.n'),
    values: fc.constant<Json>([1, 2]),
  }),
  fc.record({
    operatorType: fc.constant('NumberInRange'),
    key: fc.constant('data.n'),
    values: fc.constant<Json>([[1, 2]]),
  }),
  fc.record({ operatorType: fc.constant('BoolEquals'), key: fc.constant('data.ok'), value: fc.boolean() }),
  fc.record({
    operatorType: fc.constantFrom('StringIn', 'StringBeginsWith', 'StringNotContains'),
    key: fc.constantFrom('subject', 'data.stage'),
    values: fc.constant<Json>(['prod', 'models/']),
  }),
  fc.record({ operatorType: fc.constantFrom('IsNotNull', 'IsNullOrUndefined'), key: fc.constant('type') }),
);
const onEvent = fc
  .record({
    type: fc.constant('OnEvent'),
    scope: maybe(anyScope),
    includedEventTypes: maybe(
      fc.constant<Json>(['artifact.created', 'Microsoft.MachineLearningServices.ModelRegistered']),
    ),
    subjectBeginsWith: maybe(fc.constant('models/')),
    isSubjectCaseSensitive: maybe(fc.boolean()),
    advancedFilters: maybe(fc.array(advancedFilter, { maxLength: 3 })),
  })
  .map(defined);

const action = fc.oneof(
  fc.constant<Json>({ type: 'DoNothing' }),
  fc
    .record({
      type: fc.constant('SendNotification'),
      integration: fc.constant('slack'),
      title: maybe(fc.constant('Loss')),
      message: maybe(fc.constant('${run_name}')),
      severity: maybe(fc.constantFrom('INFO', 'WARN', 'ERROR')),
    })
    .map(defined),
  fc
    .record({
      type: fc.constant('SendWebhook'),
      integration: fc.constant('hook'),
      payload: maybe(fc.constant<Json>({ run: '${run_id}', nested: { a: [1, { b: null }] } })),
    })
    .map(defined),
);

export const automationJson: fc.Arbitrary<{ [key: string]: Json }> = fc
  .record({
    event: fc.oneof(onRunMetric, onRunState, artifact, onEvent),
    action,
    name: maybe(fc.constant('alert')),
    description: maybe(fc.constant('why')),
    enabled: maybe(fc.boolean()),
    cooldownMs: maybe(fc.constantFrom(0, 3600_000)),
    retryPolicy: maybe(
      fc.record({ maxDeliveryAttempts: maybe(fc.integer({ min: 1, max: 30 })) }).map(defined),
    ),
    rateLimit: maybe(
      fc.record({ perSecond: fc.constant(2), onLimit: maybe(fc.constant('skip')) }).map(defined),
    ),
  })
  .map(defined);

/** The paths of the objects a schema reads field by field: every object but a webhook's free-form payload. */
export function schemaObjectPaths(json: Json, path: (string | number)[] = []): (string | number)[][] {
  if (json === null || typeof json !== 'object') return [];
  if (Array.isArray(json)) return json.flatMap((item, i) => schemaObjectPaths(item, [...path, i]));
  const inner = Object.entries(json).flatMap(([key, value]) =>
    key === 'payload' ? [] : schemaObjectPaths(value, [...path, key]),
  );
  return [path, ...inner];
}
