// The entry of a replay thread (worker_threads): replays its share of the file and posts the result.
import { parentPort, workerData } from 'node:worker_threads';
import { replayShard, type ShardMessage, type ShardTask } from './replay-shard.js';

const port = parentPort;
if (port !== null) {
  const post = (message: ShardMessage): void => port.postMessage(message);
  replayShard(workerData as ShardTask, (bytes, lines) => post({ kind: 'progress', bytes, lines })).then(
    (result) => post({ kind: 'result', result }),
    (error: unknown) =>
      post({ kind: 'failed', message: error instanceof Error ? error.message : String(error) }),
  );
}
