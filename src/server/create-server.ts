import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import type { Logger } from 'pino';
import { type Clock, type Engine, systemClock } from '../index.js';
import { automationRoutes } from './automation-routes.js';
import { localAutomations } from './automations-backend.js';
import type { ClusterMode } from './cluster-mode.js';
import { clusterRoutes } from './cluster-routes.js';
import { Durability, NotSaved } from './durability.js';
import { type IntakeBackend, localIntake } from './intake-backend.js';
import { intakeRoutes } from './intake-routes.js';
import { openApiDocument } from './openapi.js';
import { opsRoutes } from './ops-routes.js';
import type { Principal, Principals } from './principals.js';
import { problem, problemOf, sendProblem } from './problem.js';
import { RequestGate } from './request-gate.js';
import type { ServerConfig } from './server-config.js';
import type { MlflowIntake, ServerContext } from './server-context.js';
import { ServiceMetrics } from './service-metrics.js';

/** One engine in this process (built with `authorize: authorizePrincipal`), or cluster mode: one of the two. */
export type ServerBackend = { readonly engine: Engine } | { readonly cluster: ClusterMode };

export type ServerOptions = ServerBackend & {
  readonly principals: Principals;
  readonly limits: ServerConfig['limits'];
  readonly partitions?: number;
  /** Where intake puts events. @default the engine, each answer after its group commit */
  readonly intake?: IntakeBackend;
  readonly mlflow?: MlflowIntake;
  /** A pino logger; @default silent */
  readonly logger?: Logger;
  readonly clock?: Clock;
  readonly version?: string;
};

export interface Server {
  readonly app: FastifyInstance;
  readonly metrics: ServiceMetrics;
  /** Stop taking requests: those in flight are answered (each after its checkpoint), new ones refused. */
  stop(): Promise<void>;
}

const MLFLOW: Principal = { name: 'mlflow-webhook', roles: new Set(['intake']) };
const ALLOWED: Readonly<Record<string, (p: Principal) => boolean>> = {
  intake: (p) => p.roles.has('intake'),
  read: (p) => p.roles.has('read') || p.roles.has('manage'),
  manage: (p) => p.roles.has('manage'),
};

/** The HTTP service over an engine: auth and limits as hooks before any body is read, then the routes. */
export async function createServer(options: ServerOptions): Promise<Server> {
  const { principals, limits } = options;
  const clock = options.clock ?? systemClock;
  let stopping = false;
  const mlflow = options.mlflow !== undefined && { mlflow: options.mlflow };
  let context: ServerContext;
  let metrics: ServiceMetrics;
  if ('cluster' in options) {
    const { cluster } = options;
    context = {
      cluster,
      intake: options.intake ?? cluster.intake,
      automations: cluster.automations,
      clock,
      ...mlflow,
      ready: () => !stopping && cluster.connected(),
    };
    metrics = new ServiceMetrics(undefined, cluster.partitions, () => cluster.counts);
  } else {
    const { engine } = options;
    const durability = new Durability(engine);
    const durable = () => durability.commit();
    context = {
      engine,
      intake: options.intake ?? localIntake(engine, durable),
      automations: localAutomations(engine, durable),
      clock,
      ...mlflow,
      ready: () => !stopping && !engine.closed && durability.healthy,
    };
    metrics = new ServiceMetrics(engine, options.partitions ?? 1);
  }
  const gate = new RequestGate(limits, clock);
  const app: FastifyInstance = Fastify({
    ...(options.logger !== undefined
      ? { loggerInstance: options.logger as FastifyBaseLogger }
      : { logger: false }),
    bodyLimit: limits.bodyBytes,
    requestTimeout: limits.requestTimeoutMs,
    // Node checks for slow requests only this often (30 s by default): often enough for the limit to hold.
    http: {
      requestTimeout: limits.requestTimeoutMs,
      headersTimeout: Math.min(limits.requestTimeoutMs, 60_000),
      connectionsCheckingInterval: Math.min(1000, Math.ceil(limits.requestTimeoutMs / 2)),
    },
    return503OnClosing: true,
    // One line per request at info would cost more than the request at intake rates: ours is at debug.
    logController: new LogController({ disableRequestLogging: true }),
  });
  app.decorateRequest('principal', undefined);

  const admit = (
    request: FastifyRequest,
    reply: FastifyReply,
    principal: Principal,
  ): FastifyReply | undefined => {
    const refused = gate.enter(principal.name);
    if (refused !== undefined) {
      reply.header('retry-after', String(refused.retryAfter));
      const title =
        refused.reason === 'saturated' ? 'Intake is saturated' : `Over the token's ${refused.reason} limit`;
      return sendProblem(reply, problem(429, 'too-many-requests', title));
    }
    request.principal = principal;
    reply.raw.once('close', () => gate.leave(principal.name));
    return undefined;
  };

  // Before the body is read: who is asking, may they, and is there room.
  app.addHook('onRequest', async (request, reply) => {
    const access = request.routeOptions.config?.access ?? 'read';
    if (access === 'public') return;
    const header = request.headers.authorization;
    // MLflow cannot send a bearer token: its HMAC signature, verified by the route, is the credential.
    if (access === 'mlflow' && header === undefined) return admit(request, reply, MLFLOW);
    const principal = principals.fromHeader(header);
    if (principal === undefined) {
      reply.header('www-authenticate', 'Bearer realm="ml-automations"');
      return sendProblem(reply, problem(401, 'unauthorized', 'A valid bearer token is required'));
    }
    const allowed = ALLOWED[access === 'mlflow' ? 'intake' : access];
    if (allowed !== undefined && !allowed(principal))
      return sendProblem(
        reply,
        problem(403, 'forbidden', 'Forbidden', { detail: `the token lacks the ${access} role` }),
      );
    return admit(request, reply, principal);
  });
  app.addHook('onResponse', async (request, reply) => {
    metrics.request(request.routeOptions.url ?? 'unmatched', reply.statusCode);
    request.log.debug(
      {
        method: request.method,
        url: request.routeOptions.url,
        status: reply.statusCode,
        principal: request.principal?.name,
        ms: reply.elapsedTime,
      },
      'answered',
    );
  });

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof NotSaved) {
      request.log.error({ err: error.cause }, 'checkpoint failed');
      return sendProblem(reply, error.problem);
    }
    const known = problemOf(error);
    if (known !== undefined) return sendProblem(reply, known);
    request.log.error({ err: error }, 'request failed');
    return sendProblem(reply, problem(500, 'internal', 'Internal error'));
  });
  app.setNotFoundHandler((_request, reply) => sendProblem(reply, problem(404, 'not-found', 'No such route')));

  await app.register(intakeRoutes(context));
  await app.register(automationRoutes(context));
  await app.register(clusterRoutes(context));
  await app.register(opsRoutes(context, metrics, () => openApiDocument(options.version ?? '0.0.0')));
  await app.ready();
  return {
    app,
    metrics,
    async stop() {
      stopping = true;
      await app.close();
      metrics.close();
    },
  };
}
