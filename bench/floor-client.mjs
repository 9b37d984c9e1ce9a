#!/usr/bin/env node
/* global Buffer */
// The floor of B2: the least a client can do to deliver a folder of files to the sandbox's lexer
// API, so Ferry's time can be read against the receiver's own limit on this machine. Per file:
// POST the name for a presigned URL, PUT the bytes; keep-alive sockets, N files at a time; no
// name or content checks, no hashing, no journal, no retries.
//
//   node bench/floor-client.mjs <folder> <endpoint> <token> [concurrency=8]
import { readdir, readFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { join } from 'node:path';

const [folder, endpoint, token, concurrencyText = '8'] = process.argv.slice(2);
if (folder === undefined || endpoint === undefined || token === undefined) {
  process.stderr.write('usage: floor-client.mjs <folder> <endpoint> <token> [concurrency]\n');
  process.exit(2);
}
const concurrency = Number(concurrencyText);
const agent = new Agent({ keepAlive: true, maxSockets: concurrency * 2 });

/** One HTTP exchange on the shared keep-alive agent; resolves with the status and the body. */
function exchange(url, method, headers, body) {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function deliver(name) {
  const grant = await exchange(
    `${endpoint}/v1/uploads`,
    'POST',
    { 'content-type': 'application/json', 'auth-api-token': token },
    JSON.stringify({ filename: name }),
  );
  if (grant.status !== 200) throw new Error(`POST ${name}: HTTP ${grant.status} ${grant.body}`);
  const { url } = JSON.parse(grant.body);
  const bytes = await readFile(join(folder, name));
  const put = await exchange(url, 'PUT', { 'content-length': String(bytes.length) }, bytes);
  if (put.status !== 200) throw new Error(`PUT ${name}: HTTP ${put.status} ${put.body}`);
}

const queue = (await readdir(folder)).filter((name) => !name.startsWith('.'));
const workers = Array.from({ length: concurrency }, async () => {
  for (let name = queue.shift(); name !== undefined; name = queue.shift()) await deliver(name);
});
await Promise.all(workers);
agent.destroy();
