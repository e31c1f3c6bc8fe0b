import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Engine, JsonSchema } from '../index.js';
import { notInThisMode } from './cluster-routes.js';
import { historyQuerySchema, parseRequest } from './http-schemas.js';
import { sendProblem } from './problem.js';
import type { ServerContext } from './server-context.js';
import type { ServiceMetrics } from './service-metrics.js';

/** Health, readiness, metrics, the OpenAPI document, delivery history and the engine's counters. */
export function opsRoutes(context: ServerContext, metrics: ServiceMetrics, openApi: () => JsonSchema) {
  return async (app: FastifyInstance): Promise<void> => {
    const open = { config: { access: 'public' as const } };
    const read = { config: { access: 'read' as const } };
    app.get('/healthz', open, async () => ({ status: 'ok' }));
    app.get('/readyz', open, async (_request, reply) =>
      context.ready() ? { status: 'ok' } : reply.code(503).send({ status: 'not-ready' }),
    );
    app.get('/metrics', read, async (_request, reply) =>
      reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
    );
    let document: JsonSchema | undefined;
    app.get('/openapi.json', read, async () => {
      document ??= openApi();
      return document;
    });

    // Delivery records and counters live in one engine; in cluster mode each worker keeps its own.
    const INSTEAD =
      'in cluster mode the workers deliver: read the logged firings at GET /firings and the cluster at GET /cluster';
    const engineOr = (reply: FastifyReply, what: string): Engine | undefined => {
      if (context.engine === undefined) sendProblem(reply, notInThisMode(what, INSTEAD));
      return context.engine;
    };
    const history = (engine: Engine, request: FastifyRequest, status?: 'failed') => {
      const q = parseRequest(historyQuerySchema, request.query, 'query');
      const wanted = status ?? q.status;
      return engine.as(request.principal).history({
        limit: q.limit,
        ...(q.automationId !== undefined && { automationId: q.automationId }),
        ...(wanted !== undefined && { status: wanted }),
      });
    };
    app.get('/history', read, async (request, reply) => {
      const engine = engineOr(reply, 'Delivery history');
      return engine === undefined ? reply : { items: history(engine, request) };
    });
    app.get('/dead-letters', read, async (request, reply) => {
      const engine = engineOr(reply, 'Dead letters');
      return engine === undefined ? reply : { items: history(engine, request, 'failed') };
    });

    // The counters, with per-automation figures only for automations the principal may read.
    app.get('/stats', read, async (request, reply) => {
      const engine = engineOr(reply, "The engine's counters");
      if (engine === undefined) return reply;
      const stats = engine.stats();
      const readable = new Set(
        engine
          .as(request.principal)
          .list()
          .map((a) => a.id),
      );
      const byAutomation = Object.fromEntries(
        Object.entries(stats.byAutomation).filter(([id]) => readable.has(id)),
      );
      return { ...stats, byAutomation };
    });
  };
}
