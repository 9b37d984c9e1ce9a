import { checkContent, contentFormat, type ContentOptions } from '../engine/content/check-content.js';
import type { ContentReport } from '../engine/content/content-report.js';
import { KNOWN_EXTENSION } from '../shared/naming-rule.js';
import { contentChunks } from './content-chunks.js';

/** The pre-flight check of a file on disk, by its extension; undefined for a format Ferry cannot check. */
export async function checkFileContent(
  path: string,
  signal: AbortSignal,
  options: ContentOptions = {},
): Promise<ContentReport | undefined> {
  const format = contentFormat(KNOWN_EXTENSION.exec(path)?.[1]?.toLowerCase() ?? '');
  if (format === undefined) return undefined;
  signal.throwIfAborted();
  return checkContent(format, contentChunks(path), options);
}
