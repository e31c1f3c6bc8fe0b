import { z } from 'zod';
import { strictObject } from '../../schema/strict.js';
import { secretUrlSchema } from '../http/integration-schemas.js';
import { sealIntegration } from '../http/redaction.js';
import type { SecretInput } from '../http/secret-ref.js';
import { isIntegrationOf } from '../integration-guard.js';
import { parseIntegration } from '../parse-integration.js';

/** A Microsoft Teams workflow webhook ("When a Teams webhook request is received"). Its URL is a credential. */
export type TeamsIntegration = { readonly type: 'TeamsIntegration'; readonly webhookUrl: string };

const schema = strictObject('TeamsIntegration', {
  type: z.literal('TeamsIntegration').optional(),
  webhookUrl: secretUrlSchema,
});

/** A Teams workflow webhook; `toJSON()` and `util.inspect` show the URL redacted (its signature is the key). */
export function TeamsIntegration(input: { readonly webhookUrl: SecretInput }): TeamsIntegration {
  const { value, refs } = parseIntegration(schema, input, 'TeamsIntegration', ['webhookUrl']);
  return sealIntegration({ type: 'TeamsIntegration', webhookUrl: value.webhookUrl }, refs);
}

export function isTeamsIntegration(value: unknown): value is TeamsIntegration {
  return isIntegrationOf(value, 'TeamsIntegration', 'webhookUrl');
}
