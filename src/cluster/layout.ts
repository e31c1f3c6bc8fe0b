// Where the cluster keeps everything on JetStream (shared/CLUSTER.md, "Layout"). Keys never go into subjects.

/** The event log: one subject per partition. */
export const EVENTS = 'MLA_EV';
/** Each partition's append-only firing log. */
export const FIRINGS = 'MLA_FIRE';
/** Definition revisions and the cluster's configuration. */
export const DEFS = 'mla-defs';
/** Partition ownership, with a time to live. */
export const LEASES = 'mla-leases';
/** Worker heartbeats, with a time to live. */
export const MEMBERS = 'mla-members';
/** Partition snapshots. */
export const SNAPSHOTS = 'mla-snap';

export const eventSubject = (p: number): string => `mla.ev.${p}`;
export const firingSubject = (p: number): string => `mla.fire.${p}`;
export const leaseKey = (p: number): string => `p.${p}`;
export const snapshotKey = (p: number): string => `p.${p}`;
export const revisionKey = (revision: number): string => `rev.${revision}`;
export const CONFIG_KEY = 'config';
export const HEAD_KEY = 'head';

/** A message on an event subject that is not a batch of events but a definitions control record. */
export const CONTROL_HEADER = 'Mla-Control';
/** On a firing record: the source position (`seq.index`) of its last firing. */
export const TAIL_HEADER = 'Mla-Tail';
/** The control record's type, as CLUSTER.md names it. */
export const CONTROL_TYPE = 'mla.control.definitions';

/** The duplicate window of both streams: a producer or writer retrying within it is de-duplicated. */
export const DUPLICATE_WINDOW_NS = 2 * 60 * 1e9;
