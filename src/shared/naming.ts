import { diagnoseName, type NameParts, type RejectionCode } from './name-diagnosis.js';
import { suggestName } from './name-suggestion.js';
import { DEFAULT_RULE, type NamingRule } from './naming-rule.js';
import { otherRuleFitting } from './other-rules.js';

export type { NameParts, RejectionCode } from './name-diagnosis.js';
export { DEFAULT_RULE, DEFAULT_TEMPLATE, parseRule, RuleError, type NamingRule } from './naming-rule.js';

/** The verdict on one file name: what a person or a script acts on. */
export type NameVerdict =
  | { readonly status: 'valid'; readonly parts: NameParts }
  | {
      readonly status: 'rejected';
      readonly code: RejectionCode;
      readonly reason: string;
      readonly suggestion?: string;
    }
  | { readonly status: 'ignored'; readonly reason: string };

/** Rejections about the parts of a name, which a rule of another shape may accept as they are. */
const SHAPE_CODES: ReadonlySet<RejectionCode> = new Set([
  'bad-structure',
  'missing-date',
  'missing-version',
  'missing-field',
]);

/** Checks a file name (not a path) against a naming rule, the default one unless given. */
export function checkName(name: string, rule: NamingRule = DEFAULT_RULE): NameVerdict {
  const diagnosis = diagnoseName(name, rule);
  if (diagnosis.status !== 'rejected') return diagnosis;
  const other = SHAPE_CODES.has(diagnosis.code) ? otherRuleFitting(name, rule) : undefined;
  const reason =
    other === undefined
      ? diagnosis.reason
      : `${diagnosis.reason}; the name fits ${other.template}, which a folder can have as its own rule`;
  const suggestion = suggestName(name, rule);
  return { ...diagnosis, reason, ...(suggestion === undefined ? {} : { suggestion }) };
}
