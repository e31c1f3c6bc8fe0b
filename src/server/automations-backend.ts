import type { AuthorizedAutomations, Engine } from '../index.js';
import type { Principal } from './principals.js';

/**
 * Where the management routes read and change automations: the local engine, or in cluster mode the cluster's
 * definitions (pushed as new revisions). Either way every read and change goes through `AuthorizedAutomations`.
 */
export interface AutomationsBackend {
  /** The automations as they are now, as the principal may see them. */
  view(principal: Principal | undefined): Promise<AuthorizedAutomations>;
  /**
   * Run `work` on the automations as they are now and keep what it changed; resolves once that is durable. A
   * throw from `work` (a failed precondition, a refusal) changes nothing.
   */
  change<T>(principal: Principal | undefined, work: (view: AuthorizedAutomations) => T): Promise<T>;
}

/** The local engine: the check and the change in one turn of the loop, then the group commit that holds it. */
export function localAutomations(engine: Engine, durable: () => Promise<void>): AutomationsBackend {
  return {
    async view(principal) {
      return engine.as(principal);
    },
    async change(principal, work) {
      const result = work(engine.as(principal));
      await durable();
      return result;
    },
  };
}
