import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Logger, pino } from 'pino';
import type { NatsServers } from '../cluster/cluster-options.js';
import { type Engine, FileStateStore, openEngine, systemClock } from '../index.js';
import { buildIntegrations } from './build-integrations.js';
import { type ClusterMode, openClusterMode } from './cluster-mode.js';
import { configError } from './config-error.js';
import { createServer, type Server } from './create-server.js';
import { authorizePrincipal, Principals } from './principals.js';
import { readSecret, SecretUnavailable } from './secret-source.js';
import { ROLES, type ServerConfig, type TokenConfig } from './server-config.js';
import type { MlflowIntake } from './server-context.js';

/** With no token configured, one from this variable speaks for `admin` with every role. */
export const DEFAULT_TOKEN_ENV = 'ML_AUTOMATIONS_TOKEN';

export interface Service {
  /** The local engine; undefined in cluster mode. */
  readonly engine: Engine | undefined;
  /** Cluster mode's connection to the cluster; undefined with a local engine. */
  readonly cluster: ClusterMode | undefined;
  readonly server: Server;
  /** `http://host:port` as bound (port 0 picks a free one). */
  readonly url: string;
  /** Graceful shutdown: stop intake, let deliveries in flight finish (pending ones are kept), last checkpoint. */
  close(): Promise<void>;
}

/** Where log lines go; secrets are redacted by path, and no route logs a header or a body. */
export function serviceLogger(level: ServerConfig['logLevel'], destination?: NodeJS.WritableStream): Logger {
  const options = {
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers["x-mlflow-signature"]',
        'req.headers["webhook-signature"]',
      ],
      censor: '[redacted]',
    },
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}

function tokensOf(config: ServerConfig, env: NodeJS.ProcessEnv): readonly TokenConfig[] {
  if (config.tokens !== undefined) return config.tokens;
  if (env[DEFAULT_TOKEN_ENV] === undefined || env[DEFAULT_TOKEN_ENV] === '') return [];
  return [{ principal: 'admin', token: { env: DEFAULT_TOKEN_ENV }, roles: [...ROLES] }];
}

function mlflowOf(config: ServerConfig, env: NodeJS.ProcessEnv): MlflowIntake | undefined {
  const m = config.mlflow;
  if (m === undefined) return undefined;
  let secret: string;
  try {
    secret = readSecret(m.secret, env);
  } catch (error) {
    if (error instanceof SecretUnavailable) throw configError(['mlflow', 'secret'], error.message, m.secret);
    throw error;
  }
  return {
    secret,
    ...(m.entity !== undefined && { entity: m.entity }),
    ...(m.registry !== undefined && { registry: m.registry }),
  };
}

/**
 * Open the state, the engine and the HTTP server from a validated configuration. Everything that can be wrong
 * with the configuration (a secret not set, an integration refused) fails here, before the port is bound.
 */
export async function startService(
  config: ServerConfig,
  options: { readonly logger?: Logger; readonly version?: string } = {},
): Promise<Service> {
  // Secrets come from the process environment only (integrations read it themselves, too).
  const env = process.env;
  const logger = options.logger ?? serviceLogger(config.logLevel);
  const principals = new Principals(tokensOf(config, env), env);
  const mlflow = mlflowOf(config, env);
  if (config.cluster !== undefined)
    return startClusterService(config, config.cluster.nats, logger, principals, mlflow, options.version);
  const integrations = buildIntegrations(config.integrations);
  mkdirSync(config.store, { recursive: true });
  const store = new FileStateStore(join(config.store, 'state.json'));
  const engine = await openEngine({
    store,
    integrations,
    authorize: authorizePrincipal,
    partitions: config.partitions,
  });
  engine.on('error', (issue) =>
    logger.warn({ code: issue.code, path: issue.path, automationId: issue.automationId }, issue.message),
  );
  const server = await createServer({
    engine,
    principals,
    limits: config.limits,
    partitions: config.partitions,
    logger,
    ...(mlflow !== undefined && { mlflow }),
    ...(options.version !== undefined && { version: options.version }),
  });
  warnNoToken(principals, logger);
  const url = await server.app.listen({ port: config.port, host: config.host });
  let closing: Promise<void> | undefined;
  return {
    engine,
    cluster: undefined,
    server,
    url,
    close() {
      closing ??= (async () => {
        await server.stop();
        await engine.close();
      })();
      return closing;
    },
  };
}

function warnNoToken(principals: Principals, logger: Logger): void {
  if (principals.size === 0)
    logger.warn(
      `no bearer token configured (set ${DEFAULT_TOKEN_ENV}, or "tokens" in the config): only /healthz and /readyz answer`,
    );
}

/**
 * Cluster mode: no engine and no state here. Connects first (ClusterError `unreachable` or `not_initialised`
 * before the port is bound); intake publishes to the log, management pushes definitions, the workers deliver.
 */
async function startClusterService(
  config: ServerConfig,
  nats: NatsServers,
  logger: Logger,
  principals: Principals,
  mlflow: MlflowIntake | undefined,
  version: string | undefined,
): Promise<Service> {
  if (Object.keys(config.integrations).length > 0)
    logger.warn('cluster mode: the configured integrations are not used here (the workers deliver)');
  const cluster = await openClusterMode(nats, systemClock);
  let server: Server;
  let url: string;
  try {
    server = await createServer({
      cluster,
      principals,
      limits: config.limits,
      logger,
      ...(mlflow !== undefined && { mlflow }),
      ...(version !== undefined && { version }),
    });
    warnNoToken(principals, logger);
    url = await server.app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await cluster.close();
    throw error;
  }
  logger.info({ partitions: cluster.partitions }, 'cluster mode: events go to the NATS cluster');
  let closing: Promise<void> | undefined;
  return {
    engine: undefined,
    cluster,
    server,
    url,
    close() {
      closing ??= (async () => {
        await server.stop();
        await cluster.close();
      })();
      return closing;
    },
  };
}
