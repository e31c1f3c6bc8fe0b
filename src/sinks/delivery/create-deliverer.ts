import { systemClock } from '../../clock/system-clock.js';
import { parseInput } from '../../definitions/parse.js';
import { DefinitionError } from '../../errors/definition-error.js';
import { type Issue, issue } from '../../errors/issue.js';
import { destinationOf } from '../destinations.js';
import { nodemailerTransport } from '../email/nodemailer-transport.js';
import type { MailTransport } from '../mail-transport.js';
import { deadLetterWriter } from './dead-letter-sink.js';
import type { Deliverer } from './deliverer.js';
import { type DelivererOptions, delivererOptionsSchema } from './deliverer-options.js';
import { DeliveryPipeline } from './delivery-pipeline.js';
import { deliveryPolicy } from './delivery-policy.js';
import { fetchTransport } from './fetch-transport.js';
import { MemoryLedger } from './memory-ledger.js';
import type { IntegrationLimit } from './rate-limits.js';
import type { Sender } from './run-attempt.js';

/** A user callback that cannot break delivery: a throw is reported as `listener_failed` (and never loops). */
function guarded<T>(name: string, callback: ((value: T) => void) | undefined, report: (i: Issue) => void) {
  if (callback === undefined) return () => undefined;
  return (value: T): void => {
    try {
      callback(value);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      report(issue('listener_failed', [name], `the ${name} callback threw: ${message}`, error));
    }
  };
}

/**
 * Delivery on its own, outside an engine: fed with firings (`deliver`), it delivers each through the integration
 * its action names — retries, dead letters, rate limits, digests, history — on the clock it is given. An engine
 * delivers through one of these. Throws DefinitionError for bad options, and for an integration whose URL the
 * policy (`allowHosts`, `allowPrivateMetadata`) refuses.
 */
export function createDeliverer(options: DelivererOptions = {}): Deliverer {
  const o = parseInput(delivererOptionsSchema, options, 'deliverer options') as unknown as DelivererOptions;
  const transport = o.transport ?? fetchTransport;
  // Ours to close when the deliverer closes; a transport the caller gave stays theirs.
  const ownMail = o.mailTransport === undefined ? nodemailerTransport() : undefined;
  const context = { transport, mailTransport: o.mailTransport ?? (ownMail as MailTransport) };
  const senders = new Map<string, Sender>();
  const limits = new Map<string, IntegrationLimit>();
  const secrets: string[] = [];
  const problems: Issue[] = [];
  const policy = {
    ...(o.allowHosts !== undefined && { allowHosts: o.allowHosts }),
    ...(o.allowPrivateMetadata !== undefined && { allowPrivateMetadata: o.allowPrivateMetadata }),
  };
  for (const [name, integration] of Object.entries(o.integrations ?? {})) {
    // The schema let through only integrations some destination delivers.
    const destination = destinationOf(integration) as NonNullable<ReturnType<typeof destinationOf>>;
    problems.push(...destination.check(integration, policy, ['integrations', name]));
    senders.set(name, destination.sender(integration, context));
    secrets.push(...destination.secrets(integration));
    const shared = destination.rateLimit?.(integration);
    if (shared !== undefined) limits.set(name, shared);
    const own =
      o.rateLimits !== undefined && Object.hasOwn(o.rateLimits, name) ? o.rateLimits[name] : undefined;
    if (own !== undefined) limits.set(name, { limit: own, key: `name:${name}` });
  }
  if (problems.length > 0) throw new DefinitionError(problems, 'deliverer options');
  const onIssue = guarded('onIssue', o.onIssue, () => undefined);
  const lookup = o.automation;
  const settingsOf = (id: string) => {
    try {
      return lookup?.(id);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      onIssue(issue('listener_failed', ['automation'], `the automation lookup threw: ${message}`, error));
      return undefined;
    }
  };
  const listens = o.onRecord !== undefined || o.onDelivered !== undefined;
  const writeDeadLetter = deadLetterWriter(o.deadLetter);
  return new DeliveryPipeline({
    clock: o.clock ?? systemClock,
    senders,
    policyOf: (id) => deliveryPolicy(settingsOf(id)),
    integrationLimits: limits,
    concurrency: o.concurrency ?? 8,
    attemptTimeoutMs: o.attemptTimeoutMs ?? 30_000,
    random: o.random ?? Math.random,
    secrets,
    ledger:
      o.ledger ?? new MemoryLedger(o.historyLimit === undefined ? {} : { historyLimit: o.historyLimit }),
    ...(writeDeadLetter !== undefined && { writeDeadLetter }),
    onRecord: guarded('onRecord', o.onRecord, onIssue),
    onDelivered: guarded('onDelivered', o.onDelivered, onIssue),
    onDeadLetter: guarded('onDeadLetter', o.onDeadLetter, onIssue),
    onIssue,
    wantsRecords: o.wantsRecords ?? (() => listens),
    ...(ownMail !== undefined && { release: () => ownMail.close?.() }),
  });
}
