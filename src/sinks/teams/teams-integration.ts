import { z } from 'zod';
import { urlSchema } from '../http/integration-schemas.js';
import { sealIntegration } from '../http/redaction.js';
import { parseIntegration } from '../parse-integration.js';

/** A Microsoft Teams workflow webhook ("When a Teams webhook request is received"). Its URL is a credential. */
export type TeamsIntegration = { readonly type: 'TeamsIntegration'; readonly webhookUrl: string };

const schema = z.strictObject({ type: z.literal('TeamsIntegration').optional(), webhookUrl: urlSchema });

/** A Teams workflow webhook; `toJSON()` and `util.inspect` show the URL redacted (its signature is the key). */
export function TeamsIntegration(input: { readonly webhookUrl: string }): TeamsIntegration {
  const t = parseIntegration(schema, input, 'TeamsIntegration');
  return sealIntegration({ type: 'TeamsIntegration', webhookUrl: t.webhookUrl });
}

export function isTeamsIntegration(value: unknown): value is TeamsIntegration {
  const v = value as { type?: unknown; webhookUrl?: unknown } | null;
  return (
    typeof v === 'object' && v !== null && v.type === 'TeamsIntegration' && typeof v.webhookUrl === 'string'
  );
}
