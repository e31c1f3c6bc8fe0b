import type { KV } from '@nats-io/kv';
import type { NatsServers } from '../cluster/cluster-options.js';
import { readHead } from '../cluster/definitions-log.js';
import { isClusterError, pushDefinitions } from '../cluster/index.js';
import type { Clock } from '../index.js';
import { AuthorizedAutomations } from '../management/authorized-automations.js';
import { Management } from '../management/management.js';
import { PatternCache } from '../match/pattern-cache.js';
import { re2jsEngine } from '../match/re2js-engine.js';
import type { AutomationsBackend } from './automations-backend.js';
import { authorizePrincipal } from './principals.js';

/** How often a change is tried again when another push moved the cluster on between its read and its push. */
const ATTEMPTS = 8;

/**
 * Cluster mode's management: the automations are the cluster's newest definitions revision (`mla-defs`), loaded
 * into the management module. A change is made there, through `AuthorizedAutomations`, and pushed as the whole
 * set with `pushDefinitions` (validated again, a new revision) only if the cluster is still at the revision it
 * was made on; otherwise it is made again on the newer one, preconditions checked again. Both sides stamp times
 * with the same instant, so what is answered is what the cluster stores.
 */
export function clusterAutomations(nats: NatsServers, defs: KV, clock: Clock): AutomationsBackend {
  const patterns = new PatternCache(re2jsEngine);
  const load = async (now: number) => {
    const read = await readHead(defs);
    const management = new Management({ clock: { now: () => now }, patterns, onChange: () => undefined });
    if (read !== undefined) management.definitions.load(read.head);
    return management;
  };
  const viewOf = (management: Management, principal: unknown) =>
    new AuthorizedAutomations({ ...bind(management), history: () => [] }, authorizePrincipal, principal);
  return {
    async view(principal) {
      return viewOf(await load(clock.now()), principal);
    },
    async change(principal, work) {
      for (let attempt = 1; ; attempt++) {
        const now = clock.now();
        const management = await load(now);
        const revision = management.definitions.revision;
        const result = work(viewOf(management, principal));
        if (management.definitions.revision === revision) return result;
        try {
          await pushDefinitions({
            nats,
            automations: management.exportAutomations(),
            mode: 'replace',
            clock: { now: () => now },
            ifRevision: revision,
          });
          return result;
        } catch (error) {
          if (!isClusterError(error) || error.reason !== 'conflict' || attempt >= ATTEMPTS) throw error;
        }
      }
    },
  };
}

/** The management module's methods as `AuthorizedAutomations` calls them (bound: they are class methods). */
function bind(m: Management) {
  return {
    save: m.save.bind(m),
    update: m.update.bind(m),
    delete: m.delete.bind(m),
    get: m.get.bind(m),
    list: m.list.bind(m),
    exportAutomations: m.exportAutomations.bind(m),
    importAutomations: m.importAutomations.bind(m),
  };
}
