import { z } from 'zod';
import { parseInput } from '../definitions/parse.js';
import { restoreAutomation } from '../management/restore-automation.js';
import type { Automation } from '../schema/automation.js';
import { type ClusterConnectionOptions, natsSchema } from './cluster-options.js';
import { openBucket, readConfig, withConnection } from './connection.js';
import { readHead } from './definitions-log.js';
import { DEFS } from './layout.js';

/** The cluster's automations at its newest revision (none before the first push), in the order they were saved. */
export async function readAutomations(
  options: ClusterConnectionOptions,
): Promise<{ readonly revision: number; readonly automations: readonly Automation[] }> {
  const o = parseInput(z.object({ nats: natsSchema }).strict(), options, 'readAutomations options');
  return withConnection(o.nats, async (c) => {
    await readConfig(c);
    const read = await readHead(await openBucket(c, DEFS));
    if (read === undefined) return { revision: 0, automations: [] };
    return {
      revision: read.head.revision,
      automations: read.head.automations.map((saved) => restoreAutomation(saved)[0]),
    };
  });
}
