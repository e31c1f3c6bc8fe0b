import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: {
      index: 'src/index.ts',
      'testing/index': 'src/testing/index.ts',
      'cluster/index': 'src/cluster/index.ts',
    },
    format: ['esm', 'cjs'],
    dts: true,
    target: 'node20',
    platform: 'node',
    sourcemap: true,
    // dist/cli belongs to the bin's build below, which runs at the same time.
    clean: ['!cli/**'],
    splitting: true,
    treeshake: true,
  },
  {
    // The `ml-automations` bin, with the library bundled in; serve and cluster (and the HTTP server and NATS
    // client they import) in chunks of their own, loaded only by those commands.
    // replay-worker: a replay thread's entry, which `--threads` starts from next to the bin's chunks.
    entry: { main: 'src/cli/main.ts', 'replay-worker': 'src/cli/threads/replay-worker.ts' },
    outDir: 'dist/cli',
    format: ['esm'],
    dts: false,
    target: 'node20',
    platform: 'node',
    sourcemap: true,
    clean: true,
    splitting: true,
    treeshake: true,
    banner: { js: '#!/usr/bin/env node' },
  },
]);
