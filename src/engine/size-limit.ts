import { formatBytes } from '../shared/format-bytes.js';
import type { FileInfo } from './ports.js';
import { MULTIPART_LIMIT } from './protocols/multipart-plan.js';
import type { Protocol } from './protocols/protocol.js';

/** What sets a target's size limit: what a refused file can do instead depends on it. */
export type SizeLimitOrigin =
  /** The target's `maxBytes`, or its protocol's own limit (a single PUT: 5 GiB). */
  | { readonly by: 'target'; readonly multipartCarriesMore: boolean }
  /** A folder field the vendor enforces on each file (the form API's `file_size_limit`). */
  | { readonly by: 'field'; readonly field: string };

export interface SizeLimit {
  readonly maxBytes: number;
  readonly limitedBy: SizeLimitOrigin;
}

/** A folder field in whole bytes; anything else is left for the config validator to name. */
function wholeBytes(text: string | undefined): number | undefined {
  return text !== undefined && /^\d+$/.test(text.trim()) ? Number(text.trim()) : undefined;
}

/** The largest file a target takes from a folder: its own limit, or a lower one the folder's fields set. */
export function sizeLimitOf(
  protocol: Pick<Protocol, 'config' | 'maxBytes'>,
  targetMaxBytes: number | undefined,
  fields: Readonly<Record<string, string>>,
): SizeLimit {
  const own = Math.min(targetMaxBytes ?? protocol.maxBytes, protocol.maxBytes);
  const field = protocol.config.sizeLimitField;
  const byField = field === undefined ? undefined : wholeBytes(fields[field]);
  if (field !== undefined && byField !== undefined && byField < own)
    return { maxBytes: byField, limitedBy: { by: 'field', field } };
  return {
    maxBytes: own,
    limitedBy: { by: 'target', multipartCarriesMore: protocol.maxBytes < MULTIPART_LIMIT },
  };
}

const COMPRESS = `compress it (a folder's "compress": "gzip" sends it gzipped)`;
const SPLIT = 'split it into smaller files';

/** What to do with a file over the limit, in the words of the config. */
function wayOut(limitedBy: SizeLimitOrigin, size: number): string {
  switch (limitedBy.by) {
    case 'field':
      return `raise ${limitedBy.field} in the folder's fields, ${COMPRESS}, or ${SPLIT}`;
    case 'target':
      return limitedBy.multipartCarriesMore && size <= MULTIPART_LIMIT
        ? `${COMPRESS}, ${SPLIT}, or send it to a target with the s3-multipart profile`
        : `${COMPRESS} or ${SPLIT}`;
  }
}

/** Why a file of this size cannot go to the target at all, and what to do; undefined when it can. */
export function sizeRefusal(
  info: Pick<FileInfo, 'size'>,
  target: { readonly name: string; readonly maxBytes: number; readonly limitedBy?: SizeLimitOrigin },
): string | undefined {
  if (info.size === 0) return 'the file is empty: there is nothing to deliver';
  if (info.size <= target.maxBytes) return undefined;
  const limitedBy = target.limitedBy ?? { by: 'target', multipartCarriesMore: false };
  const size = formatBytes(info.size);
  const max = formatBytes(target.maxBytes);
  // "5 GiB, at most 5 GiB" explains nothing: byte counts when the rounded sizes agree.
  const [shown, limit] = size === max ? [`${info.size} bytes`, `${target.maxBytes} bytes`] : [size, max];
  const why =
    limitedBy.by === 'field'
      ? `the folder's ${limitedBy.field} is ${target.maxBytes.toLocaleString('en-US')} bytes, and target '${target.name}' refuses larger files`
      : `target '${target.name}' accepts at most ${limit}`;
  return `the file is ${shown}; ${why}: ${wayOut(limitedBy, info.size)}`;
}
