// Saves jobs as fast as it can until killed; prints the id of each job once its terminal save resolved.
import { JobJournal } from '../../../dist/node/journal.js';

const [stateDir] = process.argv.slice(2);
const journal = new JobJournal(stateDir);
await journal.load();

const history = Array.from({ length: 20 }, (_, i) => ({
  at: i,
  outcome: 'retry',
  error: { kind: 'server', message: `HTTP 503 ${'x'.repeat(200)}` },
}));
const record = (id, state) => ({
  id,
  path: `/in/${id}.csv`,
  target: 'lexer',
  state,
  attempts: 20,
  history,
  createdAt: 1,
  updatedAt: 2,
});

for (let n = 0; ;) {
  const batch = [];
  for (let i = 0; i < 25; i += 1, n += 1) {
    const id = `job-${n}`;
    void journal.save(record(id, { status: 'queued' }));
    void journal.save(record(id, { status: 'uploading', sent: 5, total: 10 }));
    batch.push(
      journal
        .save(record(id, { status: 'completed', remoteId: `remote-${n}` }))
        .then(() => process.stdout.write(`${id}\n`)),
    );
  }
  await Promise.all(batch);
}
