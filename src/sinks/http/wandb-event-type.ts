import type { Firing } from '../../core/firing.js';
import {
  ARTIFACT_LINKED,
  ARTIFACT_UNLINKED,
  COLLECTION_TAG_REMOVED,
  TAG_REMOVED,
} from '../../schema/artifact-events.js';
import type { ArtifactFacts } from '../../state/artifact-change.js';
import { evidenceKind } from './evidence-text.js';

/**
 * What `${event_type}` renders: the trigger's event type as W&B names it (wandb.automations `EventType`), so a
 * receiver written for W&B reads the same words. The last two are ours, for triggers W&B does not have.
 */
export const WANDB_EVENT_TYPES = [
  'RUN_METRIC',
  'RUN_METRIC_CHANGE',
  'RUN_METRIC_ZSCORE',
  'RUN_STATE',
  'CREATE_ARTIFACT',
  'LINK_ARTIFACT',
  'UNLINK_ARTIFACT',
  'ADD_ARTIFACT_ALIAS',
  'ADD_ARTIFACT_TAG',
  'REMOVE_ARTIFACT_TAG',
  'ADD_COLLECTION_TAG',
  'REMOVE_COLLECTION_TAG',
  'RUN_METRIC_NON_FINITE',
  'ON_EVENT',
] as const;

export type WandbEventType = (typeof WANDB_EVENT_TYPES)[number];

const METRIC: Readonly<Record<ReturnType<typeof evidenceKind>, WandbEventType>> = {
  threshold: 'RUN_METRIC',
  change: 'RUN_METRIC_CHANGE',
  zscore: 'RUN_METRIC_ZSCORE',
  'non-finite': 'RUN_METRIC_NON_FINITE',
};

/**
 * Which change an artifact firing is about, from what its facts hold and the event's type: a tag names a tag
 * trigger (a version's or the collection's), an alias without the version's alias list the alias trigger, and
 * otherwise the event type tells created, linked and unlinked apart.
 */
function artifactEventType(eventType: string, a: ArtifactFacts): WandbEventType {
  if (a.tag !== undefined) {
    const removed = eventType === TAG_REMOVED || eventType === COLLECTION_TAG_REMOVED;
    if (a.version === undefined) return removed ? 'REMOVE_COLLECTION_TAG' : 'ADD_COLLECTION_TAG';
    return removed ? 'REMOVE_ARTIFACT_TAG' : 'ADD_ARTIFACT_TAG';
  }
  if (a.aliases === undefined) return 'ADD_ARTIFACT_ALIAS';
  if (eventType === ARTIFACT_UNLINKED) return 'UNLINK_ARTIFACT';
  return eventType === ARTIFACT_LINKED ? 'LINK_ARTIFACT' : 'CREATE_ARTIFACT';
}

/** The W&B event type of the trigger that made this firing; `ON_EVENT` for an Event Grid-style subscription. */
export function wandbEventType(firing: Firing): WandbEventType {
  if (firing.evidence !== undefined) return METRIC[evidenceKind(firing.evidence)];
  if (firing.transition !== undefined) return 'RUN_STATE';
  if (firing.artifact !== undefined) return artifactEventType(firing.event.type, firing.artifact);
  return 'ON_EVENT';
}
