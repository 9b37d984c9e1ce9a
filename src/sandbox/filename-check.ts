import { checkName } from '../shared/naming.js';

export type FilenameVerdict =
  | { readonly ok: true; readonly filename: string }
  | { readonly ok: false; readonly message: string; readonly details: Readonly<Record<string, string>> };

/**
 * The lexer API's gate: a filename must follow the delivery convention. A refusal carries
 * the rejection code, the reason and, when one exists, a corrected name.
 */
export function checkFilename(value: unknown): FilenameVerdict {
  if (typeof value !== 'string' || value === '') {
    return { ok: false, message: 'filename is required and must be a non-empty string', details: {} };
  }
  const verdict = checkName(value);
  switch (verdict.status) {
    case 'valid':
      return { ok: true, filename: value };
    case 'rejected':
      return {
        ok: false,
        message: `filename rejected: ${verdict.reason}`,
        details: {
          code: verdict.code,
          reason: verdict.reason,
          ...(verdict.suggestion === undefined ? {} : { suggestion: verdict.suggestion }),
        },
      };
    case 'ignored':
      return {
        ok: false,
        message: `filename rejected: ${verdict.reason}`,
        details: { code: 'ignored-file', reason: verdict.reason },
      };
  }
}
