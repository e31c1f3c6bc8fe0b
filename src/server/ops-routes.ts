import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { JsonSchema } from '../index.js';
import { historyQuerySchema, parseRequest } from './http-schemas.js';
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

    const history = (request: FastifyRequest, status?: 'failed') => {
      const q = parseRequest(historyQuerySchema, request.query, 'query');
      const wanted = status ?? q.status;
      return context.engine.as(request.principal).history({
        limit: q.limit,
        ...(q.automationId !== undefined && { automationId: q.automationId }),
        ...(wanted !== undefined && { status: wanted }),
      });
    };
    app.get('/history', read, async (request) => ({ items: history(request) }));
    app.get('/dead-letters', read, async (request) => ({ items: history(request, 'failed') }));

    // The counters, with per-automation figures only for automations the principal may read.
    app.get('/stats', read, async (request) => {
      const stats = context.engine.stats();
      const readable = new Set(
        context.engine
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
