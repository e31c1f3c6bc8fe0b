export const CLUSTER_USAGE = `Usage: ml-automations cluster COMMAND --nats URL [options]

Run automations as many worker processes on NATS JetStream (nats-server -js): none of their firings lost or
repeated, whatever workers join, leave or die.

Commands:
  init      --nats URL [--partitions 64] [--replicas 1] [--lease-ttl MS]
            create the cluster's streams and buckets (harmless to repeat)
  push      --nats URL --automations FILE [--merge]
            validate and publish the automations (an export, or a list as replay reads): a new revision
            that every worker applies at the same place of the stream; --merge keeps those the file omits
  publish   --nats URL --events FILE
            publish events (JSON Lines or a JSON array; '-' reads stdin; *.gz is gunzipped) to their partitions
  worker    --nats URL [--id NAME] [--deliver --integrations FILE]
            run a worker until SIGTERM or Ctrl-C, then hand its partitions back
  firings   --nats URL [--format table|jsonl] [--partition N] [--follow]
            print the logged firings, one per line; jsonl: the same records as replay --format jsonl
  status    --nats URL [--format table|json]
            partitions, owners, lag, last snapshots, workers

Exit codes: 0 done; 1 bad input, an unreachable server or an uninitialised cluster; 2 usage error.
`;
