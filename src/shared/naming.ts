import { diagnoseName, type NameParts, type RejectionCode } from './name-diagnosis.js';
import { suggestName } from './name-suggestion.js';
import { DEFAULT_RULE, type NamingRule } from './naming-rule.js';

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

/** Checks a file name (not a path) against a naming rule, the default one unless given. */
export function checkName(name: string, rule: NamingRule = DEFAULT_RULE): NameVerdict {
  const diagnosis = diagnoseName(name, rule);
  if (diagnosis.status !== 'rejected') return diagnosis;
  const suggestion = suggestName(name, rule);
  return suggestion === undefined ? diagnosis : { ...diagnosis, suggestion };
}
