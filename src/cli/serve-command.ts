// `ml-automations serve`: flags and the config file to one configuration, then the service until SIGTERM.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { isClusterError } from '../cluster/index.js';
import { isDefinitionError } from '../index.js';
import { parseServerConfig } from '../server/server-config.js';
import { type Service, startService } from '../server/start-service.js';
import { type CliIo, EXIT_BAD_INPUT, EXIT_OK } from './cli-io.js';
import { describeIssue } from './describe.js';
import { InputError } from './input-error.js';
import { packageVersion } from './package-version.js';
import { UsageError } from './usage-error.js';

export const SERVE_USAGE = `Usage: ml-automations serve [--config FILE] [--port 8787] [--store DIR] [options]

Run the automation service: HTTP intake (CloudEvents, Event Grid, MLflow), REST for automations, /metrics.
Every setting of the config file (JSON) is also a flag; a flag wins over the file.

Options:
  -c, --config FILE           configuration file (JSON)
  -p, --port N                port (default 8787; 0 picks a free one)
      --host HOST             address to listen on (default 127.0.0.1)
  -s, --store DIR             state folder (default ./ml-automations-state)
      --log-level LEVEL       fatal, error, warn, info (default), debug, trace or silent
      --partitions N          partitions of the runtime state (default 1)
      --token-env NAME        one admin token, read from the environment variable NAME
                              (default: ML_AUTOMATIONS_TOKEN, when no token is configured)
      --integrations FILE     integrations JSON, as for replay --integrations
      --mlflow-secret-env NAME  the MLflow webhook signing secret, from the variable NAME
      --nats URL              cluster mode: publish events to this NATS JetStream cluster (made by
                              \`cluster init\`) and push automations to it; workers apply and deliver
      --body-limit BYTES      largest request body (default 1048576)
      --max-in-flight N       requests handled at once before 429 (default 256)
      --request-timeout MS    slowest request body before 408 (default 30000)
      --token-rate N          requests per second per token (default 1000)
      --token-burst N         burst per token (default 2000)
      --token-concurrency N   requests in flight per token (default 64)
  -h, --help                  show this help

SIGTERM or SIGINT: stop intake, finish deliveries in flight (pending ones are kept), save, exit 0.
Exit codes: 0 stopped; 1 bad configuration or the port cannot be bound; 2 usage error.
`;

const NUMBER_FLAGS = {
  port: ['port'],
  partitions: ['partitions'],
  'body-limit': ['limits', 'bodyBytes'],
  'max-in-flight': ['limits', 'inFlight'],
  'request-timeout': ['limits', 'requestTimeoutMs'],
  'token-rate': ['limits', 'tokenRate'],
  'token-burst': ['limits', 'tokenBurst'],
  'token-concurrency': ['limits', 'tokenConcurrency'],
} as const;

function number(flag: string, text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${flag} ${text}: expected a number`);
  return n;
}

function readJsonObject(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${path} is not JSON: ${(error as Error).message}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new InputError(`${path}: expected a JSON object`);
  return json as Record<string, unknown>;
}

/** The configuration the flags and the file make, before validation (which names the field). */
export function serveConfigInput(argv: readonly string[]): {
  help: boolean;
  config: Record<string, unknown>;
} {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      config: { type: 'string', short: 'c' },
      port: { type: 'string', short: 'p' },
      host: { type: 'string' },
      store: { type: 'string', short: 's' },
      'log-level': { type: 'string' },
      partitions: { type: 'string' },
      'token-env': { type: 'string' },
      integrations: { type: 'string' },
      'mlflow-secret-env': { type: 'string' },
      nats: { type: 'string' },
      'body-limit': { type: 'string' },
      'max-in-flight': { type: 'string' },
      'request-timeout': { type: 'string' },
      'token-rate': { type: 'string' },
      'token-burst': { type: 'string' },
      'token-concurrency': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return { help: true, config: {} };
  if (positionals.length > 0) throw new UsageError(`unexpected argument: ${positionals[0]}`);
  const config: Record<string, unknown> = values.config === undefined ? {} : readJsonObject(values.config);
  const limits: Record<string, unknown> = { ...(config['limits'] as Record<string, unknown> | undefined) };
  for (const [flag, path] of Object.entries(NUMBER_FLAGS)) {
    const text = values[flag as keyof typeof NUMBER_FLAGS];
    if (text === undefined) continue;
    if (path[0] === 'limits') limits[path[1] as string] = number(flag, text);
    else config[path[0]] = number(flag, text);
  }
  if (Object.keys(limits).length > 0) config['limits'] = limits;
  if (values.host !== undefined) config['host'] = values.host;
  if (values.store !== undefined) config['store'] = values.store;
  if (values['log-level'] !== undefined) config['logLevel'] = values['log-level'];
  if (values['token-env'] !== undefined)
    config['tokens'] = [{ principal: 'admin', token: { env: values['token-env'] } }];
  // The same shape as the config's "integrations"; each is built (and checked) by its factory at start.
  if (values.integrations !== undefined) config['integrations'] = readJsonObject(values.integrations);
  if (values['mlflow-secret-env'] !== undefined)
    config['mlflow'] = {
      ...(config['mlflow'] as object | undefined),
      secret: { env: values['mlflow-secret-env'] },
    };
  if (values.nats !== undefined)
    config['cluster'] = { ...(config['cluster'] as object | undefined), nats: values.nats };
  return { help: false, config };
}

/** Run until SIGTERM or SIGINT; resolves to the exit code once the service has stopped. */
export async function serveCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const input = serveConfigInput(argv);
  if (input.help) {
    io.stdout.write(SERVE_USAGE);
    return EXIT_OK;
  }
  let service: Service;
  try {
    service = await startService(parseServerConfig(input.config), { version: packageVersion() });
  } catch (error) {
    // The cluster cannot be reached or was never initialised: its message says what to do.
    if (isClusterError(error)) throw new InputError(error.message);
    if (!isDefinitionError(error)) throw error;
    const lines = error.issues.map((i) => `  ${describeIssue(i)}`).join('\n');
    throw new InputError(`the configuration is not valid:\n${lines}`);
  }
  io.stderr.write(`ml-automations serve: listening on ${service.url}\n`);
  const signal = await new Promise<string>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  io.stderr.write(`ml-automations serve: ${signal}: stopping intake, finishing deliveries, saving\n`);
  try {
    await service.close();
  } catch (error) {
    io.stderr.write(`ml-automations serve: the last checkpoint failed: ${(error as Error).message}\n`);
    return EXIT_BAD_INPUT;
  }
  io.stderr.write('ml-automations serve: stopped\n');
  return EXIT_OK;
}
