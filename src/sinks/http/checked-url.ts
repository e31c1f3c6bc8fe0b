import { z } from 'zod';
import { parseInput } from '../../definitions/parse.js';
import { type Issue, type IssuePath, issue } from '../../errors/issue.js';
import { type CheckUrlOptions, checkUrl as check, type UrlPolicy } from './url-policy.js';

const policySchema = z
  .object({ allowHosts: z.array(z.string()).optional(), allowPrivateMetadata: z.boolean().optional() })
  .strict();
const pathSchema = z.array(z.union([z.string(), z.number()]));
const optionsSchema = z.object({ secret: z.boolean().optional() }).strict();

/**
 * `checkUrl` as exported: the policy and path are checked first (DefinitionError), and a URL that is not text
 * is one more issue, like a URL that does not parse. See url-policy.ts.
 */
export function checkUrl(
  url: string,
  policy: UrlPolicy = {},
  path: IssuePath = ['url'],
  options: CheckUrlOptions = {},
): Issue[] {
  const p = parseInput(policySchema, policy, 'URL policy', ['policy']) as UrlPolicy;
  const at = parseInput(pathSchema, path, 'issue path', ['path']);
  const o = parseInput(optionsSchema, options, 'URL check options', ['options']) as CheckUrlOptions;
  if (typeof url !== 'string')
    return [issue('invalid_type', at, 'expected an absolute http or https URL', typeof url)];
  return check(url, p, at, o);
}
