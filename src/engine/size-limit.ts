import { formatBytes } from '../shared/format-bytes.js';
import type { FileInfo } from './ports.js';
import { MULTIPART_LIMIT } from './protocols/multipart-plan.js';
import type { Protocol } from './protocols/protocol.js';

/** What sets a target's size limit: what a refused file can do instead depends on it. */
export interface SizeLimitOrigin {
  /** The target's `maxBytes`, or its protocol's own limit (a single PUT: 5 GiB). */
  readonly by: 'target';
  readonly multipartCarriesMore: boolean;
}

export interface SizeLimit {
  readonly maxBytes: number;
  readonly limitedBy: SizeLimitOrigin;
}

/** The largest file a target takes: its own `maxBytes`, within its protocol's limit. */
export function sizeLimitOf(
  protocol: Pick<Protocol, 'maxBytes'>,
  targetMaxBytes: number | undefined,
): SizeLimit {
  const own = Math.min(targetMaxBytes ?? protocol.maxBytes, protocol.maxBytes);
  return {
    maxBytes: own,
    limitedBy: { by: 'target', multipartCarriesMore: protocol.maxBytes < MULTIPART_LIMIT },
  };
}

const COMPRESS = `compress it (a folder's "compress": "gzip" sends it gzipped)`;
const SPLIT = 'split it into smaller files';

/** What to do with a file over the limit, in the words of the config. */
function wayOut(limitedBy: SizeLimitOrigin, size: number): string {
  return limitedBy.multipartCarriesMore && size <= MULTIPART_LIMIT
    ? `${COMPRESS}, ${SPLIT}, or send it to a target with the s3-multipart profile`
    : `${COMPRESS} or ${SPLIT}`;
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
  return `the file is ${shown}; target '${target.name}' accepts at most ${limit}: ${wayOut(limitedBy, info.size)}`;
}
