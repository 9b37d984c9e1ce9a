// Takes the state-dir lock and holds it until killed, or until --exit-after ms.
// --start-at (epoch ms) lines several holders up to race for the lock at the same moment.
import { setInterval, setTimeout } from 'node:timers';
import { parseArgs } from 'node:util';
import { acquireStateDirLock, StateDirLockedError } from '../../../dist/node/state-dir-lock.js';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { 'exit-after': { type: 'string' }, 'start-at': { type: 'string' } },
});
const [stateDir] = positionals;
if (values['start-at'] !== undefined) {
  await new Promise((resolve) => setTimeout(resolve, Number(values['start-at']) - Date.now()));
}
try {
  await acquireStateDirLock(stateDir);
  process.stdout.write('acquired\n');
} catch (error) {
  if (!(error instanceof StateDirLockedError)) throw error;
  process.stdout.write(`locked: ${error.message}\n`);
  process.exit(3);
}
if (values['exit-after'] === undefined) setInterval(() => undefined, 60_000);
else setTimeout(() => process.exit(0), Number(values['exit-after']));
