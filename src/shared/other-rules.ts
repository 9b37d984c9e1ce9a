import { diagnoseName } from './name-diagnosis.js';
import { DEFAULT_TEMPLATE, parseRule, type NamingRule } from './naming-rule.js';

/**
 * Conventions a folder of files may follow instead of its own rule: the default (Lexer's, seed
 * 002), the analytics API's example (seed 004: `testprovider_transactions_2025-01-01.csv`), and
 * the default written with underscores. A name refused by its folder's rule but following one of
 * these most likely comes from a source that names all its files so.
 */
const COMMON_RULES: readonly NamingRule[] = [
  DEFAULT_TEMPLATE,
  '{provider}_{datasetType}_{date}.{ext}',
  '{descriptor}_{date}_{version}.{ext}',
].map(parseRule);

/** The first common convention, other than the folder's rule, that `name` follows. */
export function otherRuleFitting(name: string, rule: NamingRule): NamingRule | undefined {
  return COMMON_RULES.find(
    (other) => other.template !== rule.template && diagnoseName(name, other).status === 'valid',
  );
}
