#!/usr/bin/env node
// The `ferry` command. The CLI is compiled to dist/ by `npm run build`, which
// `npm install` runs through the `prepare` script.
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
