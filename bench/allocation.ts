import { Session } from 'node:inspector/promises';

/** One byte in this many is sampled: fine enough for a per-row figure over 10^5 rows, cheap enough to run. */
const SAMPLING_INTERVAL = 1024;

type ProfileNode = { readonly selfSize: number; readonly children: readonly ProfileNode[] };

function total(node: ProfileNode): number {
  let bytes = node.selfSize;
  for (const child of node.children) bytes += total(child);
  return bytes;
}

/**
 * Bytes `run` allocates on the JS heap, garbage included: V8's sampling heap profiler, told to keep the samples
 * of objects the collector has freed since (its estimate scales each sample by the sampling rate). A pass takes
 * longer under it, so it is a pass of its own, never a timed one. ArrayBuffer backing stores are not counted.
 */
export async function allocated(run: () => void): Promise<number> {
  const session = new Session();
  session.connect();
  try {
    // Flags V8 has (since 10.x) that @types/node does not list yet: passed as a variable, not a checked literal.
    const params = {
      samplingInterval: SAMPLING_INTERVAL,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    };
    await session.post('HeapProfiler.startSampling', params);
    run();
    const { profile } = await session.post('HeapProfiler.stopSampling');
    return total(profile.head as ProfileNode);
  } finally {
    session.disconnect();
  }
}
