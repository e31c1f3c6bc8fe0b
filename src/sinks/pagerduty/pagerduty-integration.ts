import { z } from 'zod';
import { optional, strictObject } from '../../schema/strict.js';
import { accessTokenSchema, urlSchema } from '../http/integration-schemas.js';
import { sealIntegration } from '../http/redaction.js';
import type { SecretInput } from '../http/secret-ref.js';
import { isIntegrationOf } from '../integration-guard.js';
import { parseIntegration } from '../parse-integration.js';

/** PagerDuty's Events API v2 endpoint. */
export const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';

/** A PagerDuty Events API v2 integration: `routingKey` is the service's integration key, a secret. */
export type PagerDutyIntegration = {
  readonly type: 'PagerDutyIntegration';
  readonly routingKey: string;
  /** @default 'https://events.pagerduty.com/v2/enqueue' */
  readonly url: string;
};

const schema = strictObject('PagerDutyIntegration', {
  type: z.literal('PagerDutyIntegration').optional(),
  routingKey: accessTokenSchema,
  url: optional(urlSchema),
});

/** PagerDuty's Events API v2; `toJSON()` and `util.inspect` show `routingKey` redacted. */
export function PagerDutyIntegration(input: {
  readonly routingKey: SecretInput;
  readonly url?: string;
}): PagerDutyIntegration {
  const { value: p, refs } = parseIntegration(schema, input, 'PagerDutyIntegration', ['routingKey']);
  return sealIntegration(
    { type: 'PagerDutyIntegration', routingKey: p.routingKey, url: p.url ?? PAGERDUTY_EVENTS_URL },
    refs,
  );
}

export function isPagerDutyIntegration(value: unknown): value is PagerDutyIntegration {
  return isIntegrationOf(value, 'PagerDutyIntegration', 'routingKey');
}
