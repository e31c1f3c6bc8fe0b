import type { CloudEvent, Engine, IngestResult } from '../index.js';

/**
 * Where the intake routes put events: the local engine here; in cluster mode, the partitioned log (publish, then
 * answer from the log's acknowledgement). The routes only adapt HTTP to events and outcomes to statuses.
 */
export interface IntakeBackend {
  /**
   * Take the events in order; resolves with one outcome each, once every event not rejected is durable (so the
   * route may answer 2xx). Rejects when they could not be made durable (the route answers 503).
   */
  submit(events: readonly CloudEvent[]): Promise<readonly IngestResult[]>;
}

/** The local engine: apply, then wait for the group commit that holds the change. */
export function localIntake(engine: Engine, durable: () => Promise<void>): IntakeBackend {
  return {
    async submit(events) {
      const results = engine.applyBatch(events);
      if (results.some((r) => r.status !== 'rejected')) await durable();
      return results;
    },
  };
}
