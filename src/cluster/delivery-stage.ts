import { AckPolicy, type ConsumerMessages, DeliverPolicy, type JsMsg } from '@nats-io/jetstream';
import type { Clock } from '../clock/clock.js';
import type { Firing } from '../core/firing.js';
import type { Issue } from '../errors/issue.js';
import { createDeliverer } from '../sinks/delivery/create-deliverer.js';
import type { Deliverer } from '../sinks/delivery/deliverer.js';
import type { AnyIntegration } from '../sinks/destinations.js';
import type { Connection } from './connection.js';
import { decodeJson } from './json-codec.js';
import { FIRINGS } from './layout.js';

/** The durable consumer every delivering worker shares: each firing record goes to one of them at a time. */
export const DELIVERY_CONSUMER = 'mla-deliver';
/** A record not acknowledged within this is given to another worker: keep it alive while delivering. */
const ACK_WAIT_MS = 60_000;

type StageOptions = {
  readonly integrations: Readonly<Record<string, AnyIntegration>>;
  readonly clock: Clock;
  readonly report: (issue: Issue) => void;
};

/**
 * Delivery on the cluster (CLUSTER.md, "Delivery"): read `MLA_FIRE` with a durable pull consumer, deliver each
 * firing through `createDeliverer` (`webhook-id` = the firing id), and acknowledge a record once every firing in
 * it is delivered, dead-lettered or skipped. A worker that dies before acknowledging leaves the record to another:
 * at least once, never lost.
 */
export class DeliveryStage {
  readonly #deliverer: Deliverer;
  readonly #messages: ConsumerMessages;
  readonly #waiting = new Map<string, () => void>();
  readonly #loop: Promise<void>;

  private constructor(messages: ConsumerMessages, options: StageOptions) {
    this.#messages = messages;
    this.#deliverer = createDeliverer({
      integrations: options.integrations,
      clock: options.clock,
      onIssue: options.report,
      wantsRecords: () => true,
      onRecord: (record) => {
        if (record.status !== 'pending') this.#waiting.get(record.firingId)?.();
      },
    });
    this.#loop = this.#consume(options.report);
  }

  static async start(c: Connection, options: StageOptions): Promise<DeliveryStage> {
    try {
      await c.jsm.consumers.info(FIRINGS, DELIVERY_CONSUMER);
    } catch {
      await c.jsm.consumers.add(FIRINGS, {
        durable_name: DELIVERY_CONSUMER,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        ack_wait: ACK_WAIT_MS * 1e6,
        max_deliver: 20,
        filter_subject: 'mla.fire.*',
      });
    }
    const consumer = await c.js.consumers.get(FIRINGS, DELIVERY_CONSUMER);
    return new DeliveryStage(await consumer.consume({ max_messages: 64 }), options);
  }

  async close(): Promise<void> {
    this.#messages.stop();
    await this.#loop;
    await this.#deliverer.close();
  }

  async #consume(report: (issue: Issue) => void): Promise<void> {
    for await (const m of this.#messages) {
      try {
        await this.#deliverRecord(m);
        m.ack();
      } catch (error) {
        const message = `delivering firing record ${m.seq}: ${error instanceof Error ? error.message : String(error)}`;
        report({ code: 'sink_failed', path: [], message, value: error });
        m.nak(5000);
      }
    }
  }

  async #deliverRecord(m: JsMsg): Promise<void> {
    const firings = decodeJson<Firing[]>(m.string());
    const keepAlive = setInterval(() => m.working(), ACK_WAIT_MS / 3);
    try {
      await Promise.all(
        firings.map(
          (f) =>
            new Promise<void>((resolve) => {
              this.#waiting.set(f.id, resolve);
              this.#deliverer.deliver(f);
            }),
        ),
      );
    } finally {
      clearInterval(keepAlive);
      for (const f of firings) this.#waiting.delete(f.id);
    }
  }
}
