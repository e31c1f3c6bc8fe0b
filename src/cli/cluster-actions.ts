import { readFileSync } from 'node:fs';
import {
  clusterStatus,
  createWorker,
  initCluster,
  publishEvents,
  pushDefinitions,
  readAutomations,
  readFirings,
} from '../cluster/index.js';
import type { Automation } from '../index.js';
import type { CliIo } from './cli-io.js';
import { EXIT_BAD_INPUT, EXIT_OK } from './cli-io.js';
import { type ClusterArgs, wholeNumber } from './cluster-args.js';
import { describeFiring, describeIssue, isoTime } from './describe.js';
import { InputError } from './input-error.js';
import { loadIntegrations } from './load-definitions.js';
import { openEvents, readEvents } from './read-events.js';
import { firingLine } from './summary.js';
import { UsageError } from './usage-error.js';

type Action = (values: ClusterArgs, nats: string, io: CliIo) => Promise<number>;

export const initAction: Action = async (values, nats, io) => {
  const partitions = wholeNumber(values, 'partitions', 1);
  const replicas = wholeNumber(values, 'replicas', 1);
  const leaseTtlMs = wholeNumber(values, 'lease-ttl', 300);
  const info = await initCluster({
    nats,
    ...(partitions !== undefined && { partitions }),
    ...(replicas !== undefined && { replicas }),
    ...(leaseTtlMs !== undefined && { leaseTtlMs }),
  });
  const what = info.created ? 'created' : 'already there';
  io.stdout.write(
    `cluster ${what}: ${info.partitions} partitions, ${info.replicas} replica(s), leases live ${info.leaseTtlMs} ms\n`,
  );
  return EXIT_OK;
};

export const pushAction: Action = async (values, nats, io) => {
  const file = values.automations;
  if (file === undefined) throw new UsageError('--automations FILE is required');
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new InputError(`cannot read the automations file ${file}: ${(error as Error).message}`);
  }
  const automations =
    Array.isArray(json) || (typeof json === 'object' && json !== null && 'format' in json) ? json : [json];
  const r = await pushDefinitions({ nats, automations, mode: values.merge ? 'merge' : 'replace' });
  const n = (list: readonly string[]) => list.length;
  io.stdout.write(
    `revision ${r.revision}: ${n(r.created)} created, ${n(r.updated)} updated, ${n(r.deleted)} deleted, ${n(r.unchanged)} unchanged\n`,
  );
  return EXIT_OK;
};

export const publishAction: Action = async (values, nats, io) => {
  const path = values.events;
  if (path === undefined) throw new UsageError('--events FILE is required (- for stdin)');
  let source: ReturnType<typeof openEvents>;
  try {
    source = openEvents(path, io.stdin);
  } catch (error) {
    throw new InputError(`cannot read the events file ${path}: ${(error as Error).message}`);
  }
  let bad = 0;
  async function* values$(): AsyncGenerator<unknown> {
    for await (const items of readEvents(source.stream))
      for (const item of items) {
        if (item.ok) yield item.value;
        else {
          bad += 1;
          io.stderr.write(`${source.name}:${item.line}: ${item.message}\n`);
        }
      }
  }
  const r = await publishEvents({ nats, events: values$() });
  for (const i of r.issues.slice(0, 20)) io.stderr.write(`rejected: ${describeIssue(i)}\n`);
  io.stdout.write(`published ${r.published} events; ${r.rejected} rejected, ${bad} lines not JSON\n`);
  return r.published === 0 && r.rejected + bad > 0 ? EXIT_BAD_INPUT : EXIT_OK;
};

export const workerAction: Action = async (values, nats, io) => {
  if (values.deliver && values.integrations === undefined)
    throw new UsageError('--deliver needs --integrations FILE: where to send');
  const integrations = values.integrations === undefined ? {} : loadIntegrations(values.integrations);
  const worker = await createWorker({
    nats,
    integrations,
    deliver: values.deliver,
    ...(values.id !== undefined && { id: values.id }),
    onIssue: (i) => io.stderr.write(`${describeIssue(i)}\n`),
  });
  io.stdout.write(`worker ${worker.id} joined; SIGTERM or Ctrl-C hands its partitions back\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });
  await worker.close();
  io.stdout.write(`worker ${worker.id} left\n`);
  return EXIT_OK;
};

export const firingsAction: Action = async (values, nats, io) => {
  const format = values.format ?? 'table';
  if (format !== 'table' && format !== 'jsonl')
    throw new UsageError(`--format ${format}: expected table or jsonl`);
  const partition = wholeNumber(values, 'partition');
  const byId = new Map<string, Automation>();
  for (const a of (await readAutomations({ nats })).automations) byId.set(a.id, a);
  const firings = readFirings({
    nats,
    follow: values.follow,
    ...(partition !== undefined && { partition }),
  });
  for await (const f of firings) {
    const automation = byId.get(f.automationId);
    if (format === 'jsonl') io.stdout.write(firingLine(f, automation));
    else {
      const { subject, why } = describeFiring(f, automation);
      io.stdout.write(`${isoTime(f.time)}  ${f.automationName}  ${subject}  ${why}\n`);
    }
  }
  return EXIT_OK;
};

export const statusAction: Action = async (values, nats, io) => {
  const format = values.format ?? 'table';
  if (format !== 'table' && format !== 'json')
    throw new UsageError(`--format ${format}: expected table or json`);
  const s = await clusterStatus({ nats });
  if (format === 'json') {
    io.stdout.write(`${JSON.stringify(s, null, 2)}\n`);
    return EXIT_OK;
  }
  const owned = s.byPartition.filter((p) => p.owner !== undefined).length;
  const lag = s.byPartition.reduce((n, p) => n + p.lag, 0);
  io.stdout.write(
    `${s.partitions} partitions (${owned} owned), definitions revision ${s.revision}, lag ${lag} messages\n`,
  );
  for (const w of s.workers) io.stdout.write(`worker ${w.id}: ${w.partitions} partitions\n`);
  io.stdout.write('partition  owner                 last seq  applied   lag  snapshot\n');
  for (const p of s.byPartition)
    io.stdout.write(
      `${String(p.partition).padStart(9)}  ${(p.owner ?? '-').padEnd(20)}  ${String(p.lastSeq).padStart(8)}  ${String(p.applied ?? '-').padStart(7)}  ${String(p.lag).padStart(4)}  ${p.snapshotSeq}\n`,
    );
  return EXIT_OK;
};
