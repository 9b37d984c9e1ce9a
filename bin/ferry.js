#!/usr/bin/env -S node --max-semi-space-size=1 --heap-growing-percent=50
// The `ferry` command. The CLI is compiled to dist/ and bundled into dist/cli/bundle/
// (scripts/bundle-cli.mjs) by `npm run build`, which `npm install` runs through `prepare`.
//
// The heap settings (issue #15): a delivery makes much short-lived garbage per file (requests,
// reads, records). With V8's defaults the young generation grows to 32 MiB and the old one to
// four times what is live before a collection, so `ferry watch --once` on 1,000 small files
// peaked at 130 MiB with some 20 MiB live. One MiB semi-spaces and an old generation grown by
// half of what is live keep it at about 83 MiB, for the same CPU time (3 alternating runs each:
// 11.0–11.5 s both ways). npm's bin link (and its Windows shim) runs node with these flags.
import { main } from '../dist/cli/bundle/ferry.js';

process.exitCode = await main(process.argv.slice(2));
