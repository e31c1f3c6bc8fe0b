import { DeliverPolicy } from '@nats-io/jetstream';
import { z } from 'zod';
import type { Firing } from '../core/firing.js';
import { parseInput } from '../definitions/parse.js';
import { type ClusterConnectionOptions, natsSchema } from './cluster-options.js';
import { openConnection, readConfig } from './connection.js';
import { decodeJson } from './json-codec.js';
import { FIRINGS, firingSubject } from './layout.js';

export interface ReadFiringsOptions extends ClusterConnectionOptions {
  /** Only this partition's log. @default every partition's, in the order they were logged */
  readonly partition?: number;
  /** Keep waiting for new firings instead of ending at the log's end. @default false */
  readonly follow?: boolean;
}

const schema = z
  .object({
    nats: natsSchema,
    partition: z.number().int().min(0).optional(),
    follow: z.boolean().optional(),
  })
  .strict();

/**
 * The firings the cluster logged, in log order (each partition's in its own order), read from `MLA_FIRE`; ends at
 * the log's end unless `follow`. Each firing is there once (SEMANTICS §9).
 */
export async function* readFirings(options: ReadFiringsOptions): AsyncGenerator<Firing, void, undefined> {
  const o = parseInput(schema, options, 'readFirings options');
  const c = await openConnection(o.nats, 'ml-automations firings');
  try {
    await readConfig(c);
    const subject = o.partition === undefined ? 'mla.fire.*' : firingSubject(o.partition);
    if (o.follow !== true) {
      const info = await c.jsm.streams.info(FIRINGS, { subjects_filter: subject });
      const count = Object.values(info.state.subjects ?? {}).reduce((n, k) => n + k, 0);
      if (count === 0) return;
    }
    const consumer = await c.js.consumers.get(FIRINGS, {
      filter_subjects: subject,
      deliver_policy: DeliverPolicy.All,
    });
    const messages = await consumer.consume({ max_messages: 256 });
    try {
      for await (const m of messages) {
        for (const firing of decodeJson<Firing[]>(m.string())) yield firing;
        if (o.follow !== true && m.info.pending === 0) break;
      }
    } finally {
      messages.stop();
    }
  } finally {
    await c.nc.close();
  }
}
