import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { clusterStatus, readFirings } from '../cluster/index.js';
import type { Firing } from '../index.js';
import { parseRequest } from './http-schemas.js';
import { type Problem, problem, sendProblem } from './problem.js';
import type { ServerContext } from './server-context.js';

/** GET /firings: the cluster's firing log, in log order, a page at a time. */
export const firingsQuerySchema = z
  .object({
    automationId: z.string().min(1).optional(),
    partition: z.coerce.number().int().min(0).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    /** From the previous page's `nextCursor`: how many matching firings came before. */
    cursor: z
      .string()
      .regex(/^[0-9]+$/)
      .optional(),
  })
  .strict();

/** What a route that needs one engine's view answers in the other mode, saying what to use instead. */
export function notInThisMode(what: string, instead: string): Problem {
  return problem(501, 'not-in-this-mode', `${what} is not kept by this service in this mode`, {
    detail: instead,
  });
}

/**
 * Cluster mode's own reads: the firings the workers logged (`readFirings`) and the cluster's status
 * (`clusterStatus`). A local service answers them with a problem pointing at /history and /stats.
 */
export function clusterRoutes(context: ServerContext) {
  return async (app: FastifyInstance): Promise<void> => {
    const read = { config: { access: 'read' as const } };
    app.get('/firings', read, async (request, reply) => {
      const cluster = context.cluster;
      if (cluster === undefined)
        return sendProblem(
          reply,
          notInThisMode('The cluster firing log', 'use GET /history: this service runs one engine'),
        );
      const q = parseRequest(firingsQuerySchema, request.query, 'query');
      // Only firings of automations the principal may read now.
      const readable = new Set((await context.automations.view(request.principal)).list().map((a) => a.id));
      const skip = q.cursor === undefined ? 0 : Number(q.cursor);
      const items: Firing[] = [];
      let seen = 0;
      let more = false;
      for await (const firing of readFirings({
        nats: cluster.nats,
        ...(q.partition !== undefined && { partition: q.partition }),
      })) {
        if (!readable.has(firing.automationId)) continue;
        if (q.automationId !== undefined && firing.automationId !== q.automationId) continue;
        if (seen++ < skip) continue;
        if (items.length === q.limit) {
          more = true;
          break;
        }
        items.push(firing);
      }
      return { items, ...(more && { nextCursor: String(skip + items.length) }) };
    });
    app.get('/cluster', read, async (_request, reply) => {
      const cluster = context.cluster;
      if (cluster === undefined)
        return sendProblem(
          reply,
          notInThisMode('A cluster status', 'use GET /stats: this service runs one engine'),
        );
      return clusterStatus({ nats: cluster.nats });
    });
  };
}
