import type { Clock } from '../clock/clock.js';
import { DefinitionError } from '../errors/definition-error.js';
import type { Issue } from '../errors/issue.js';
import type { Automation } from '../schema/automation.js';
import { deadLetterWriter } from '../sinks/delivery/dead-letter-sink.js';
import { httpDeliverer, secretsOf, sinkDeliverer } from '../sinks/delivery/deliverers.js';
import type { DeliveryOptions } from '../sinks/delivery/delivery-options.js';
import type { DeadLetter, DeliveryRecord } from '../sinks/delivery/delivery-record.js';
import { fetchTransport } from '../sinks/delivery/fetch-transport.js';
import { Outbox } from '../sinks/delivery/outbox.js';
import type { DeliveryPolicy } from '../sinks/delivery/outbox-options.js';
import type { Deliverer } from '../sinks/delivery/run-attempt.js';
import type { RateLimit } from '../sinks/delivery/token-bucket.js';
import { type DestinationIntegration, destinationOf } from '../sinks/destinations.js';
import { nodemailerTransport } from '../sinks/email/nodemailer-transport.js';
import { type HttpIntegration, isHttpIntegration } from '../sinks/http/integrations.js';
import { checkUrl } from '../sinks/http/url-policy.js';
import type { Integration } from '../sinks/integration.js';
import type { MailTransport } from '../sinks/mail-transport.js';

const DEFAULT_ATTEMPTS = 30;
const DEFAULT_TTL_MIN = 1440;
/** Slack accepts about one message per second per incoming webhook. */
const SLACK_LIMIT: RateLimit = { perSecond: 1, burst: 1 };

type Events = {
  readonly report: (issue: Issue) => void;
  readonly onRecord: (record: DeliveryRecord) => void;
  readonly onDelivered: (record: DeliveryRecord) => void;
  readonly onDeadLetter: (letter: DeadLetter) => void;
  readonly wantsRecords: () => boolean;
};

/** The engine's outbox: one deliverer per integration, URLs checked against the delivery policy, defaults applied. */
export function createOutbox(
  clock: Clock,
  integrations: readonly [string, Integration | HttpIntegration | DestinationIntegration][],
  options: DeliveryOptions,
  automation: (id: string) => Automation | undefined,
  events: Events,
): Outbox {
  const transport = options.transport ?? fetchTransport;
  // Ours to close when the engine closes; a transport the caller gave stays theirs.
  const ownMail = options.mailTransport === undefined ? nodemailerTransport() : undefined;
  const context = { transport, mailTransport: options.mailTransport ?? (ownMail as MailTransport) };
  const deliverers = new Map<string, Deliverer>();
  const limits = new Map<string, { limit: RateLimit; key: string }>();
  const secrets: string[] = [];
  const problems: Issue[] = [];
  const policy = {
    ...(options.allowHosts !== undefined && { allowHosts: options.allowHosts }),
    ...(options.allowPrivateMetadata !== undefined && { allowPrivateMetadata: options.allowPrivateMetadata }),
  };
  for (const [name, integration] of integrations) {
    if (isHttpIntegration(integration)) {
      const field = integration.type === 'SlackIntegration' ? 'webhookUrl' : 'url';
      const url = integration.type === 'SlackIntegration' ? integration.webhookUrl : integration.url;
      const secret = integration.type === 'SlackIntegration';
      problems.push(...checkUrl(url, policy, ['integrations', name, field], { secret }));
      deliverers.set(name, httpDeliverer(integration, transport));
      secrets.push(...secretsOf(integration));
      // Slack's limit is per webhook, so two names for one URL share it.
      if (integration.type === 'SlackIntegration')
        limits.set(name, { limit: SLACK_LIMIT, key: `slack:${integration.webhookUrl}` });
    } else {
      const destination = destinationOf(integration);
      if (destination === undefined) deliverers.set(name, sinkDeliverer(integration as Integration));
      else {
        const d = integration as DestinationIntegration;
        problems.push(...destination.check(d, policy, ['integrations', name]));
        deliverers.set(name, destination.deliverer(d, context));
        secrets.push(...destination.secrets(d));
        const shared = destination.rateLimit?.(d);
        if (shared !== undefined) limits.set(name, shared);
      }
    }
    const limit = options.rateLimits?.[name];
    if (limit !== undefined && Object.hasOwn(options.rateLimits ?? {}, name))
      limits.set(name, { limit, key: `name:${name}` });
  }
  if (problems.length > 0) throw new DefinitionError(problems, 'engine options');
  const policyOf = (id: string): DeliveryPolicy => {
    const a = automation(id);
    return {
      maxDeliveryAttempts: a?.retryPolicy?.maxDeliveryAttempts ?? DEFAULT_ATTEMPTS,
      timeToLiveMs: (a?.retryPolicy?.eventTimeToLiveInMinutes ?? DEFAULT_TTL_MIN) * 60_000,
      ...(a?.rateLimit !== undefined && { rateLimit: a.rateLimit }),
      onRateLimit: a?.rateLimit?.onLimit ?? 'queue',
    };
  };
  const writeDeadLetter = deadLetterWriter(options.deadLetter);
  return new Outbox({
    clock,
    deliverers,
    policyOf,
    integrationLimits: limits,
    concurrency: options.concurrency ?? 8,
    attemptTimeoutMs: options.attemptTimeoutMs ?? 30_000,
    historyLimit: options.historyLimit ?? 10_000,
    random: options.random ?? Math.random,
    secrets,
    ...(writeDeadLetter !== undefined && { writeDeadLetter }),
    ...(ownMail !== undefined && { release: () => ownMail.close?.() }),
    ...events,
  });
}
