import type { DefinitionChange } from '../../../src/core/definition-change.js';
import { Partitions } from '../../../src/core/partitions.js';
import {
  type Automation,
  DoNothing,
  type Issue,
  isDefinitionError,
  OnAddArtifactAlias,
  OnEvent,
  OnRunMetric,
  OnRunState,
  type PatternEngine,
  RunEvent,
  re2jsEngine,
  SendNotification,
  SendWebhook,
} from '../../../src/index.js';
import { integrationCatalog } from '../../../src/management/integration-catalog.js';
import { Management } from '../../../src/management/management.js';
import { PatternCache } from '../../../src/match/pattern-cache.js';
import { VirtualClock } from '../../../src/testing/index.js';
import { T0 } from '../../helpers/fixture.js';

export type CoreOptions = {
  patternEngine?: PatternEngine;
  integrations?: readonly string[];
  /** Called with each change after it is recorded, as a partition applying it would be: a throw refuses it. */
  onChange?: (change: DefinitionChange) => void;
};

/** Custom sinks under these names: they take any action. */
function catalog(names: readonly string[]) {
  return integrationCatalog(Object.fromEntries(names.map((n) => [n, { deliver() {} }])));
}

/** The pure core with its management, as the engine builds them: every change reaches the handlers and windows. */
export function core(options: CoreOptions = {}) {
  const clock = new VirtualClock(T0);
  const issues: Issue[] = [];
  const patterns = new PatternCache(options.patternEngine ?? re2jsEngine);
  const automator = new Partitions({ clock, patterns, report: (i) => issues.push(i) });
  const registry = new Management({
    clock,
    patterns,
    integrations: catalog(options.integrations ?? ['audit', 'hook']),
    onChange: (change) => automator.applyDefinition(change),
  });
  return { automator, registry, clock, issues };
}

/** Management alone, recording every change it announces (before and after), and the changes themselves. */
export function recordingRegistry(options: CoreOptions = {}) {
  const clock = new VirtualClock(T0);
  const changes: [Automation | undefined, Automation | undefined][] = [];
  const feed: DefinitionChange[] = [];
  const registry = new Management({
    clock,
    patterns: new PatternCache(options.patternEngine ?? re2jsEngine),
    integrations: catalog(options.integrations ?? ['audit', 'hook']),
    onChange: (change) => {
      changes.push([change.before, change.after]);
      feed.push(change);
      options.onChange?.(change);
    },
  });
  return { registry, clock, changes, feed };
}

/** A pattern engine that refuses any pattern containing `refused`, as a stricter engine (native re2) might. */
export const pickyEngine: PatternEngine = {
  name: 'picky',
  compile(source) {
    if (source.includes('refused')) throw new Error(`picky refuses ${source}`);
    return re2jsEngine.compile(source);
  },
};

/** Save one automation of each family, with ids, descriptions, settings and times that differ. */
export function saveVariety(registry: Management, clock: VirtualClock): Automation[] {
  const saved: Automation[] = [];
  saved.push(
    registry.save(
      OnRunMetric({ scope: 'acme/vision', filter: RunEvent.metric('loss').mean(5).lt(0.1) }).do(DoNothing()),
      { name: 'loss-low', description: 'mean loss below 0.1', cooldownMs: 0 },
    ),
  );
  clock.advance(1000);
  saved.push(
    registry.save(
      OnRunState({ scope: 'acme', states: ['failed'], runFilter: { runName: '^sweep-' } }).do(
        SendNotification({
          integration: 'audit',
          title: 'failed',
          message: '${run_name}',
          severity: 'ERROR',
        }),
      ),
      { name: 'failed', id: 'my-own-id', enabled: false },
    ),
  );
  clock.advance(1000);
  saved.push(
    registry.save(
      OnAddArtifactAlias({ scope: { entity: 'acme', registry: 'model' }, alias: '^production$' }).do(
        SendWebhook({ integration: 'hook', payload: { model: '${artifact_collection_name}', n: [1, null] } }),
      ),
      { name: 'to-production', retryPolicy: { maxDeliveryAttempts: 3 }, rateLimit: { perSecond: 2 } },
    ),
  );
  clock.advance(1000);
  saved.push(
    registry.save(
      OnEvent({
        includedEventTypes: ['Microsoft.MachineLearningServices.ModelRegistered'],
        subjectBeginsWith: 'models/',
        advancedFilters: [{ operatorType: 'StringIn', key: 'data.ModelTags.stage', values: ['prod'] }],
      }).do(DoNothing()),
      { name: 'azure-model' },
    ),
  );
  return saved;
}

/** The issues of a DefinitionError, as code and path. */
export function definitionIssues(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    if (isDefinitionError(error)) return error.issues.map((i) => ({ code: i.code, path: i.path }));
    throw error;
  }
  throw new Error('expected a DefinitionError');
}
