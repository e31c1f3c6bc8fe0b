import { z } from 'zod';
import { optional, strictObject } from '../../schema/strict.js';
import { accessTokenSchema, urlSchema } from '../http/integration-schemas.js';
import { sealIntegration } from '../http/redaction.js';
import type { SecretInput } from '../http/secret-ref.js';
import { isIntegrationOf } from '../integration-guard.js';
import { parseIntegration } from '../parse-integration.js';

export const GITHUB_API_URL = 'https://api.github.com';

/** A GitHub repository to dispatch workflows in; `token` (a PAT or app token with contents: write) is a secret. */
export type GitHubIntegration = {
  readonly type: 'GitHubIntegration';
  readonly token: string;
  readonly owner: string;
  readonly repo: string;
  /** @default 'https://api.github.com' (GitHub Enterprise Server: `https://HOST/api/v3`) */
  readonly apiUrl: string;
};

/** GitHub's owner and repository names: letters, digits, `-`, `_`, `.` (so they are safe in a URL path). */
const name = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[A-Za-z0-9_.-]+$/, { message: 'letters, digits, -, _ and . only' })
    .refine((n) => n !== '.' && n !== '..', {
      message: 'not a repository name',
      params: { code: 'invalid_value' },
    });

const schema = strictObject('GitHubIntegration', {
  type: z.literal('GitHubIntegration').optional(),
  token: accessTokenSchema,
  owner: name(39),
  repo: name(100),
  apiUrl: optional(urlSchema),
});

/** A GitHub repository for DispatchGitHubWorkflow; `toJSON()` and `util.inspect` show `token` redacted. */
export function GitHubIntegration(input: {
  readonly token: SecretInput;
  readonly owner: string;
  readonly repo: string;
  readonly apiUrl?: string;
}): GitHubIntegration {
  const { value: g, refs } = parseIntegration(schema, input, 'GitHubIntegration', ['token']);
  return sealIntegration(
    {
      type: 'GitHubIntegration',
      token: g.token,
      owner: g.owner,
      repo: g.repo,
      apiUrl: (g.apiUrl ?? GITHUB_API_URL).replace(/\/+$/, ''),
    },
    refs,
  );
}

export function isGitHubIntegration(value: unknown): value is GitHubIntegration {
  return isIntegrationOf(value, 'GitHubIntegration', 'token');
}
