#!/usr/bin/env node
// The `ferry` command. The CLI is compiled to dist/ and bundled into dist/cli/bundle/
// (scripts/bundle-cli.mjs) by `npm run build`, which `npm install` runs through `prepare`.
import { main } from '../dist/cli/bundle/ferry.js';

process.exitCode = await main(process.argv.slice(2));
