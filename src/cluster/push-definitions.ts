import { headers as natsHeaders } from '@nats-io/transport-node';
import { z } from 'zod';
import type { Clock } from '../clock/clock.js';
import { systemClock } from '../clock/system-clock.js';
import type { DefinitionChange } from '../core/definition-change.js';
import { parseInput } from '../definitions/parse.js';
import { ClusterError } from '../errors/cluster-error.js';
import { AUTOMATION_EXPORT_FORMAT, AUTOMATION_EXPORT_VERSION } from '../management/export-document.js';
import type { ImportResult } from '../management/import-automations.js';
import type { ImportMode } from '../management/import-options.js';
import { Management } from '../management/management.js';
import { PatternCache } from '../match/pattern-cache.js';
import { re2jsEngine } from '../match/re2js-engine.js';
import { type ClusterConnectionOptions, natsSchema } from './cluster-options.js';
import { checkClusterSupport } from './cluster-support.js';
import { type Connection, openBucket, readConfig, withConnection } from './connection.js';
import { type Head, readHead, type StoredChange, storeChange } from './definitions-log.js';
import { CONTROL_HEADER, CONTROL_TYPE, DEFS, eventSubject, HEAD_KEY, revisionKey } from './layout.js';

export interface PushDefinitionsOptions extends ClusterConnectionOptions {
  /** An export (`{ format, version, automations }`, as `engine.exportAutomations()` writes) or its list of automations. */
  readonly automations: unknown;
  /** `replace`: the cluster's automations become these; `merge`: these are created or updated. @default 'replace' */
  readonly mode?: ImportMode;
  /** Stamps `createdAt` and `updatedAt`. @default the system clock */
  readonly clock?: Clock;
  /** Push only while the cluster is at this revision (0: none yet), else ClusterError('conflict') and nothing is
   * written: a compare-and-set for a change computed from that revision. @default push on the newest */
  readonly ifRevision?: number;
}

/** What a push changed, and the revision the cluster is at after it. */
export type PushResult = ImportResult & { readonly revision: number };

const schema = z
  .object({
    nats: natsSchema,
    automations: z.unknown(),
    mode: z.enum(['merge', 'replace']).optional(),
    clock: z.custom<Clock>((c) => typeof (c as Clock | undefined)?.now === 'function').optional(),
    ifRevision: z.number().int().min(0).optional(),
  })
  .strict();

/**
 * Validate a set of automations with the management module (as `engine.importAutomations` does), write the new
 * revision to `mla-defs` by compare-and-set, then append a control record to every partition's event subject:
 * workers apply the change when they reach it, so it takes effect at the same place of every replay.
 * Throws DefinitionError (paths into the document) when it is refused; nothing is written then.
 */
export async function pushDefinitions(options: PushDefinitionsOptions): Promise<PushResult> {
  const o = parseInput(schema, options, 'pushDefinitions options');
  const list = Array.isArray(o.automations);
  const document = list
    ? { format: AUTOMATION_EXPORT_FORMAT, version: AUTOMATION_EXPORT_VERSION, automations: o.automations }
    : o.automations;
  return withConnection(o.nats, async (c) => {
    const { partitions } = await readConfig(c);
    for (let attempt = 0; attempt < 8; attempt++) {
      const pushed = await tryPush(c, document, o.mode ?? 'replace', o.clock ?? systemClock, o.ifRevision);
      if (pushed === undefined) continue;
      if (pushed.changes.length > 0) await announce(c, partitions, pushed.result.revision);
      return pushed.result;
    }
    throw new ClusterError('conflict', 'the definitions kept changing under this push: try it again');
  });
}

/** One compare-and-set attempt; undefined when another push got there first. */
async function tryPush(
  c: Connection,
  document: unknown,
  mode: ImportMode,
  clock: Clock,
  ifRevision: number | undefined,
): Promise<{ result: PushResult; changes: readonly StoredChange[] } | undefined> {
  const defs = await openBucket(c, DEFS);
  const read = await readHead(defs);
  if (ifRevision !== undefined && (read?.head.revision ?? 0) !== ifRevision)
    throw new ClusterError(
      'conflict',
      `the definitions are at revision ${read?.head.revision ?? 0}, not ${ifRevision}`,
    );
  // A push that died after moving the head may not have written its revisions: write them (the same bytes).
  for (const change of read?.head.changes ?? [])
    await defs.put(revisionKey(change.revision), JSON.stringify(change));
  const changes: DefinitionChange[] = [];
  let collecting = false;
  const management = new Management({
    clock,
    patterns: new PatternCache(re2jsEngine),
    onChange: (change) => {
      if (collecting) changes.push(change);
    },
  });
  if (read !== undefined) management.definitions.load(read.head);
  collecting = true;
  const imported = management.importAutomations(document, { mode });
  checkClusterSupport(management.list(), document);
  const revision = management.definitions.revision;
  if (changes.length === 0) return { result: { ...imported, revision }, changes: [] };
  const stored = changes.map(storeChange);
  const head: Head = { ...management.definitions.save(), changes: stored };
  try {
    if (read === undefined) await defs.create(HEAD_KEY, JSON.stringify(head));
    else await defs.update(HEAD_KEY, JSON.stringify(head), read.at);
  } catch {
    return undefined;
  }
  for (const change of stored) await defs.put(revisionKey(change.revision), JSON.stringify(change));
  return { result: { ...imported, revision }, changes: stored };
}

/** The control record, on every partition's subject: workers apply revisions up to `revision` there. */
async function announce(c: Connection, partitions: number, revision: number): Promise<void> {
  const body = JSON.stringify({ type: CONTROL_TYPE, revision });
  const sent: Promise<unknown>[] = [];
  for (let p = 0; p < partitions; p++) {
    const h = natsHeaders();
    h.set(CONTROL_HEADER, 'definitions');
    sent.push(c.js.publish(eventSubject(p), body, { headers: h, msgID: `mla.control.${revision}.${p}` }));
  }
  await Promise.all(sent);
}
