import { hash } from 'node:crypto';
import type { Evidence } from '../filters/evidence.js';
import type { ActionDefinition } from '../schema/actions.js';
import type { CloudEvent } from '../schema/cloud-event.js';
import type { RunState } from '../schema/run-events.js';
import type { ArtifactFacts } from '../state/artifact-change.js';

/** One automation firing on one event, with the evidence that made it fire. */
export type Firing = {
  /** Deterministic: the same automation and the same triggering event give the same id, in any process. */
  readonly id: string;
  readonly automationId: string;
  readonly automationName: string;
  /** The event that made it fire. */
  readonly event: CloudEvent;
  readonly runId?: string;
  /** Event time, epoch ms. */
  readonly time: number;
  readonly evidence?: Evidence;
  /** Run state triggers: the change that fired. */
  readonly transition?: { readonly from?: RunState; readonly to: RunState };
  /** Artifact and collection triggers: where, and what changed. */
  readonly artifact?: ArtifactFacts;
  readonly action: ActionDefinition;
  /** A digest (SEMANTICS §8): several firings of one automation delivered as one; the fields above are the first's. */
  readonly digest?: FiringDigest;
};

/** The firings a digest window collected: at most 100 listed, all counted. */
export type FiringDigest = {
  readonly windowMs: number;
  /** The first firing's event time: the window opened then. */
  readonly opens: number;
  /** When the engine clock closes it (`opens + windowMs`). */
  readonly closes: number;
  /** The firings, in arrival order: at most 100. */
  readonly firings: readonly Firing[];
  /** How many firings the window collected in all. */
  readonly count: number;
};

/** `fir_` + 32 hex digits of SHA-256 over (automation id, event source, event id). */
export function firingId(automationId: string, source: string, eventId: string): string {
  // One-shot hash(): no Hash object per firing, a third of createHash()'s time, the same digest.
  const digest = hash('sha256', `${automationId}\u0000${source}\u0000${eventId}`, 'hex');
  return `fir_${digest.slice(0, 32)}`;
}

export type { ArtifactFacts };
