import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { isClusterError } from '../cluster/index.js';
import {
  type Issue,
  isDefinitionError,
  isEngineClosedError,
  isForbiddenError,
  isNotFoundError,
  isWebhookSignatureError,
} from '../index.js';

/** RFC 9457 problem details, with our issues (`{ code, path, message, value }`) as an extension member. */
export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    issues: z
      .array(
        z.object({
          code: z.string(),
          path: z.array(z.union([z.string(), z.number()])).readonly(),
          message: z.string(),
          value: z.unknown(),
        }),
      )
      .optional(),
  })
  .loose();

export type Problem = z.output<typeof problemSchema>;

const TYPE = 'urn:ml-automations:problem:';

/** An `If-Match` that no longer matches: answered 412, and nothing was changed. */
export class PreconditionFailed extends Error {
  override readonly name = 'PreconditionFailed' as const;
}

/** An issue's value is echoed back only when small and plain: the sender's own input, never an error object. */
const MAX_VALUE_CHARS = 512;
function echoed(i: Issue): Issue {
  let text: string | undefined;
  try {
    text = JSON.stringify(i.value);
  } catch {
    text = undefined;
  }
  const value =
    text === undefined || i.value instanceof Error
      ? '[not shown]'
      : text.length > MAX_VALUE_CHARS
        ? `${text.slice(0, MAX_VALUE_CHARS)}…`
        : i.value;
  return { code: i.code, path: [...i.path], message: i.message, value };
}

export function problem(
  status: number,
  kind: string,
  title: string,
  extra: {
    readonly detail?: string;
    readonly issues?: readonly Issue[];
    readonly [key: string]: unknown;
  } = {},
): Problem {
  const { issues, ...rest } = extra;
  return {
    type: `${TYPE}${kind}`,
    title,
    status,
    ...rest,
    ...(issues !== undefined && { issues: issues.map(echoed) }),
  };
}

export function sendProblem(reply: FastifyReply, p: Problem): FastifyReply {
  return reply.code(p.status).type('application/problem+json').send(p);
}

type FastifyLikeError = {
  readonly code?: unknown;
  readonly statusCode?: unknown;
  readonly message?: unknown;
};

/** The problem an error stands for; undefined for an unexpected one (a 500, logged, never shown). */
export function problemOf(error: unknown): Problem | undefined {
  if (isDefinitionError(error))
    return problem(400, 'validation', 'The request is not valid', { issues: error.issues });
  if (isForbiddenError(error))
    return problem(403, 'forbidden', 'Forbidden', { detail: `not allowed: ${error.operation}` });
  if (isNotFoundError(error)) return problem(404, 'not-found', 'Not found', { detail: error.message });
  if (isWebhookSignatureError(error))
    return problem(401, 'signature', 'The webhook signature was refused', { detail: error.reason });
  if (isEngineClosedError(error)) return problem(503, 'shutting-down', 'The service is shutting down');
  if (error instanceof PreconditionFailed) return problem(412, 'precondition-failed', error.message);
  if (isClusterError(error))
    return error.reason === 'conflict'
      ? problem(409, 'conflict', 'The definitions kept changing under this change; send it again')
      : problem(503, 'cluster-unavailable', 'The cluster cannot be reached', { detail: error.message });
  const e = (typeof error === 'object' && error !== null ? error : {}) as FastifyLikeError;
  const code = typeof e.code === 'string' ? e.code : '';
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    return problem(413, 'too-large', 'The request body is over the limit');
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
    return problem(415, 'media-type', 'Unsupported content type');
  const status = typeof e.statusCode === 'number' ? e.statusCode : 500;
  if (status >= 400 && status < 500)
    return problem(status, 'bad-request', 'The request cannot be read', {
      detail: typeof e.message === 'string' ? e.message : '',
    });
  return undefined;
}
