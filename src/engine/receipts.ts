import { fileNameOf } from '../shared/file-name.js';
import { checkName, DEFAULT_RULE, type NamingRule } from '../shared/naming.js';
import type { Receipt, ReceiptFilter } from '../shared/receipts.js';
import type { LedgerEntry } from './delivery-ledger.js';
import { folderOfPath } from './expectations/expected-files.js';

/** The descriptor, date and version a name carries under its folder's rule; undefined when it has none. */
function versionOf(name: string, rule: NamingRule) {
  const verdict = checkName(name, rule);
  if (verdict.status !== 'valid') return undefined;
  const { descriptor, date, version } = verdict.parts;
  if (descriptor === undefined || date === undefined || version === undefined) return undefined;
  return { key: `${descriptor}\0${date.replaceAll('-', '')}`, version: Number(version.replace(/^v/, '')) };
}

function matches(receipt: Receipt, filter: ReceiptFilter): boolean {
  return (
    (filter.since === undefined || receipt.deliveredAt >= filter.since) &&
    (filter.until === undefined || receipt.deliveredAt < filter.until) &&
    (filter.folder === undefined || receipt.folder === filter.folder) &&
    (filter.target === undefined || receipt.target === filter.target)
  );
}

/**
 * The ledger's deliveries as receipts, oldest first. A delivery of a higher version of a file
 * already delivered from the same folder to the same target (same descriptor and date) is a
 * corrected file: it names the one it corrects. The filter applies after, so a correction
 * still names a delivery from before `since`.
 */
export function receiptsOf(
  entries: readonly LedgerEntry[],
  ruleOf: (folder: string) => NamingRule | undefined,
  filter: ReceiptFilter = {},
): Receipt[] {
  const latest = new Map<string, { readonly version: number; readonly file: string }>();
  const receipts: Receipt[] = [];
  for (const entry of [...entries].sort((a, b) => a.deliveredAt - b.deliveredAt)) {
    const file = fileNameOf(entry.path);
    const folder = entry.folder ?? folderOfPath(entry.path);
    const parsed = versionOf(file, ruleOf(folder) ?? DEFAULT_RULE);
    const group = parsed === undefined ? undefined : `${entry.target}\0${folder}\0${parsed.key}`;
    const earlier = group === undefined ? undefined : latest.get(group);
    if (
      group !== undefined &&
      parsed !== undefined &&
      (earlier === undefined || parsed.version >= earlier.version)
    )
      latest.set(group, { version: parsed.version, file });
    receipts.push({
      file,
      path: entry.path,
      ...(entry.folder === undefined ? {} : { folder: entry.folder }),
      target: entry.target,
      size: entry.size,
      sha256: entry.sha256,
      remoteId: entry.remoteId,
      deliveredAt: entry.deliveredAt,
      ...(entry.attempts === undefined ? {} : { attempts: entry.attempts }),
      ...(entry.statistics === undefined ? {} : { statistics: entry.statistics }),
      ...(earlier !== undefined && parsed !== undefined && parsed.version > earlier.version
        ? { redeliveryOf: earlier.file }
        : {}),
    });
  }
  return receipts.filter((receipt) => matches(receipt, filter));
}
