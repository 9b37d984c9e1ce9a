import type { SettingsView } from '../shared/contract.js';
import { checkName, DEFAULT_TEMPLATE, parseRule } from '../shared/naming.js';

export type UploadCheck =
  { readonly ok: true; readonly target: string } | { readonly ok: false; readonly reason: string };

/**
 * A file picked or dropped is checked before a byte is sent: there must be a
 * target, the file must hold something, and its name must pass the rule of the
 * target's first folder (the default rule when it has none), with the fixed
 * name proposed when one exists.
 */
export function checkUpload(
  file: { name: string; size: number },
  settings: SettingsView | undefined,
): UploadCheck {
  const target = settings?.targets[0]?.name;
  if (target === undefined) return { ok: false, reason: 'No target is configured to deliver to.' };
  if (file.size === 0) return { ok: false, reason: `${file.name} is empty.` };
  const rule = settings?.folders.find((folder) => folder.target === target)?.rule ?? DEFAULT_TEMPLATE;
  const verdict = checkName(file.name, parseRule(rule));
  switch (verdict.status) {
    case 'valid':
      return { ok: true, target };
    case 'ignored':
      return { ok: false, reason: `${file.name} is not delivered: ${verdict.reason}` };
    case 'rejected':
      return {
        ok: false,
        reason: `${file.name} cannot be delivered: ${verdict.reason}${verdict.suggestion === undefined ? '' : ` Rename it to ${verdict.suggestion}.`}`,
      };
  }
}
