// Registered with `node --import`: writes the URL of every module the process loads, one per
// line, to the file named by FERRY_LOAD_LOG. The hooks run on their own thread, so they append
// synchronously rather than hold the list in memory.
import { register } from 'node:module';

register('./load-recorder-hooks.mjs', import.meta.url, { data: process.env.FERRY_LOAD_LOG });
