// Records deliveries as fast as it can until killed; prints each sha256 once its record resolved.
import { FileDeliveryLedger } from '../../../dist/node/delivery-ledger.js';

const [stateDir] = process.argv.slice(2);
const ledger = await FileDeliveryLedger.open(stateDir);

for (let n = 0; ;) {
  const batch = [];
  for (let i = 0; i < 10; i += 1, n += 1) {
    const sha256 = n.toString(16).padStart(64, '0');
    const entry = {
      sha256,
      path: `/watch/file-${n}.csv`,
      size: n,
      mtimeMs: 1_718_000_000_000 + n,
      remoteId: `remote-${n}`,
      target: 'lexer',
      deliveredAt: 1_718_000_100_000 + n,
    };
    batch.push(ledger.record(entry).then(() => process.stdout.write(`${sha256}\n`)));
  }
  await Promise.all(batch);
}
