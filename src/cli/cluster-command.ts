// `ml-automations cluster …`: argument parsing, then one of the actions in cluster-actions.ts.
import { parseArgs } from 'node:util';
import { isClusterError } from '../cluster/index.js';
import { isDefinitionError } from '../index.js';
import { type CliIo, EXIT_BAD_INPUT, EXIT_OK, EXIT_USAGE } from './cli-io.js';
import {
  firingsAction,
  initAction,
  publishAction,
  pushAction,
  statusAction,
  workerAction,
} from './cluster-actions.js';
import { OPTIONS } from './cluster-args.js';
import { CLUSTER_USAGE } from './cluster-usage.js';
import { describeIssue } from './describe.js';
import { InputError } from './input-error.js';
import { UsageError } from './usage-error.js';

const ACTIONS = {
  init: initAction,
  push: pushAction,
  publish: publishAction,
  worker: workerAction,
  firings: firingsAction,
  status: statusAction,
} as const;

/** `cluster` and its arguments (without `cluster`); resolves to the exit code. */
export async function clusterCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout).write(CLUSTER_USAGE);
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  const action = Object.hasOwn(ACTIONS, name) ? ACTIONS[name as keyof typeof ACTIONS] : undefined;
  if (action === undefined) {
    io.stderr.write(`ml-automations cluster: unknown command '${name}'\n\n${CLUSTER_USAGE}`);
    return EXIT_USAGE;
  }
  const prefix = `ml-automations cluster ${name}`;
  try {
    const { values, positionals } = parseArgs({ args: [...rest], options: OPTIONS, allowPositionals: true });
    if (values.help) {
      io.stdout.write(CLUSTER_USAGE);
      return EXIT_OK;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument: ${positionals[0]}`);
    if (values.nats === undefined)
      throw new UsageError('--nats URL is required (e.g. nats://127.0.0.1:4222)');
    return await action(values, values.nats, io);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (error instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) {
      io.stderr.write(
        `${prefix}: ${(error as Error).message}\nRun 'ml-automations cluster --help' for the options.\n`,
      );
      return EXIT_USAGE;
    }
    if (error instanceof InputError || isClusterError(error)) {
      io.stderr.write(`${prefix}: ${(error as Error).message}\n`);
      return EXIT_BAD_INPUT;
    }
    if (isDefinitionError(error)) {
      io.stderr.write(
        `${prefix}: refused:\n${error.issues.map((i) => `  ${describeIssue(i)}`).join('\n')}\n`,
      );
      return EXIT_BAD_INPUT;
    }
    throw error;
  }
}
