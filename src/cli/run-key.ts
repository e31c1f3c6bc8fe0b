import type { Firing } from '../index.js';

/** Runs are identified by (entity, project, runId); one key string for the three. */
export function runKey(entity: string, project: string, runId: string): string {
  return `${entity}/${project}/${runId}`;
}

/** The run a firing is about, if it is about one. */
export function runKeyOf(f: Firing): string | undefined {
  if (f.runId === undefined) return undefined;
  const data = f.event.data as { readonly entity?: unknown; readonly project?: unknown } | undefined;
  return runKey(String(data?.entity ?? ''), String(data?.project ?? ''), f.runId);
}
