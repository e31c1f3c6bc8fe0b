import type { AcceptedEvent } from '../events/parse-event.js';
import type { TriggerDefinition } from '../schema/triggers.js';

/** The trigger families: each has one index and one handler; `run` has no trigger, it keeps what runs are. */
export type TriggerFamily = 'metric' | 'state' | 'stall' | 'schedule' | 'artifact' | 'subscription' | 'run';

/** Which family installs each trigger type: looked up, never found by asking each handler in turn. */
export const FAMILY_OF: Readonly<Record<TriggerDefinition['type'], TriggerFamily>> = {
  OnRunMetric: 'metric',
  OnRunState: 'state',
  OnRunStalled: 'stall',
  OnSchedule: 'schedule',
  OnCreateArtifact: 'artifact',
  OnLinkArtifact: 'artifact',
  OnUnlinkArtifact: 'artifact',
  OnAddArtifactAlias: 'artifact',
  OnAddArtifactTag: 'artifact',
  OnRemoveArtifactTag: 'artifact',
  OnAddCollectionTag: 'artifact',
  OnRemoveCollectionTag: 'artifact',
  OnEvent: 'subscription',
};

/**
 * The families an accepted event of each kind can reach, in the order their firings come out: its own kind's,
 * then the subscriptions, which see every accepted event.
 */
export const FAMILIES_OF_KIND: Readonly<Record<AcceptedEvent['kind'], readonly TriggerFamily[]>> = {
  'run.metrics': ['metric', 'stall', 'schedule', 'subscription'],
  'run.state': ['state', 'stall', 'subscription'],
  'run.updated': ['run', 'subscription'],
  artifact: ['artifact', 'subscription'],
  foreign: ['subscription'],
};
