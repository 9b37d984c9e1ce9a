// Bundles the compiled CLI (dist/cli/main.js) into dist/cli/bundle/, with zod inside it.
//
// Why: zod 4's package is some 220 modules (every locale among them). Loaded one by one they
// cost `ferry --help` and every agent start about 14 MiB of resident memory and 0.1 s; bundled,
// only what the config schemas use is kept and parsed (issue #15). Ferry's own modules come
// along, so a command reads a few files instead of a hundred. Dynamic imports stay dynamic:
// each command's code is its own chunk, loaded when that command runs.
//
// Every other package stays external, as installed: native modules (the keyring), packages that
// read their own files (s3rver, the AWS SDK, pino's transports), and the ones a command must be
// seen loading in test/cli/command-loading.test.ts.
//
// The chunks sit two folders below dist/, as dist/cli/commands/ does, so a path a module builds
// from its own URL (the renderer build, package.json) means the same in either place.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'rolldown';

const root = join(import.meta.dirname, '..');
const outDir = join(root, 'dist/cli/bundle');
const BUNDLED_PACKAGES = /^zod(\/|$)/;

await rm(outDir, { recursive: true, force: true });
await build({
  cwd: root,
  input: { ferry: 'dist/cli/main.js' },
  platform: 'node',
  logLevel: 'warn',
  // bin/ferry.js uses only `main`; the entry may export more for the chunks to share.
  preserveEntrySignatures: 'allow-extension',
  external: (id, _importer, isResolved) =>
    !isResolved && !id.startsWith('.') && !id.startsWith('/') && !BUNDLED_PACKAGES.test(id),
  output: {
    dir: outDir,
    format: 'esm',
    sourcemap: true,
    chunkFileNames: '[name]-[hash].js',
    codeSplitting: {
      // A group takes the modules it names, not what they import: Ferry's shared modules stay
      // where the commands that use them are.
      includeDependenciesRecursively: false,
      groups: [
        // The sandbox's server in a chunk of its own name: test/cli/command-loading.test.ts checks
        // which commands load it. url-ttl.js is one constant `ferry sandbox --help` shows.
        { name: 'sandbox-server', test: /\/dist\/sandbox\/(?!url-ttl\.js$)/ },
        { name: 'zod', test: /\/node_modules\/zod\// },
      ],
    },
  },
});
