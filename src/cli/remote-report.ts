import type { RemoteFile } from '../engine/protocols/protocol.js';

/** One line per file the vendor holds (id, name, when it arrived), then how many. */
export function formatRemoteFiles(target: string, files: readonly RemoteFile[]): string {
  const lines = files.map((file) =>
    [file.id, file.name, file.createdAt ?? ''].filter((part) => part !== '').join('  '),
  );
  const count = `${files.length} file${files.length === 1 ? '' : 's'} at ${target}`;
  return `${[...lines, count].join('\n')}\n`;
}
