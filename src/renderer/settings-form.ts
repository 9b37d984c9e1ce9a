import type { ConfigIssue } from '../shared/config.js';
import type { SettingsView } from '../shared/contract.js';
import type { ExpectationSetting } from '../shared/expectations.js';
import { checkName, DEFAULT_TEMPLATE, parseRule, RuleError, type NameVerdict } from '../shared/naming.js';
import type { FolderDraft, SettingsDraft, TargetDraft } from '../shared/settings-draft.js';

/**
 * The settings screen's form, kept apart from React so it can be tested: the
 * draft made from what the agent reports, what changed, which problems belong
 * to which part of the form, and the live preview of a naming rule.
 */

export function draftFrom(view: SettingsView): SettingsDraft {
  return {
    folders: view.folders.map((folder) => ({
      path: folder.path,
      original: folder.path,
      target: folder.target,
      rule: folder.rule,
      fields: folder.fields,
      after: folder.after,
      ignore: folder.ignore,
      expect: folder.expect,
    })),
    targets: view.targets.map(({ name, profile, endpoint }) => ({ name, profile, endpoint })),
    concurrency: view.concurrency,
    notifications: view.notifications,
    startAtLogin: view.startAtLogin,
  };
}

export function isDirty(draft: SettingsDraft, view: SettingsView): boolean {
  return JSON.stringify(draft) !== JSON.stringify(draftFrom(view));
}

/** A target whose saved settings differ from the form's (or that is not saved yet): not testable as shown. */
export function targetChanged(target: TargetDraft, view: SettingsView): boolean {
  const saved = view.targets.find((t) => t.name === target.name);
  return saved?.profile !== target.profile || saved.endpoint !== target.endpoint;
}

export function newFolder(targets: readonly TargetDraft[]): FolderDraft {
  return {
    path: '',
    target: targets[0]?.name ?? '',
    rule: DEFAULT_TEMPLATE,
    fields: {},
    after: 'leave',
    ignore: [],
    expect: [],
  };
}

/** An expected file added in the window: daily by 09:00 in the machine's zone until edited. */
export function newExpectation(): ExpectationSetting {
  return { descriptor: '', every: 'day', by: '09:00' };
}

type Editable = { -readonly [K in keyof ExpectationSetting]: ExpectationSetting[K] };

/** The zone typed, or none (the machine's own) when the field is empty. */
export function withTimezone(expectation: ExpectationSetting, text: string): ExpectationSetting {
  const next: Editable = { ...expectation };
  if (text.trim() === '') delete next.timezone;
  else next.timezone = text.trim();
  return next;
}

/** `previous-day` is written down; the delivery day is the default, left out. */
export function withDated(expectation: ExpectationSetting, value: string): ExpectationSetting {
  const next: Editable = { ...expectation };
  if (value === 'previous-day') next.date = 'previous-day';
  else delete next.date;
  return next;
}

/**
 * `on` as the config has it: a day name with `week`, a number with `month` (what is typed is
 * kept as text when it is not one, for the validator to name); nothing with any other `every`.
 */
export function withOn(expectation: ExpectationSetting, text: string): ExpectationSetting {
  const rest: Editable = { ...expectation };
  delete rest.on;
  if (text.trim() === '') return rest;
  if (expectation.every === 'month' && /^\d+$/.test(text.trim())) return { ...rest, on: Number(text.trim()) };
  return { ...rest, on: text.trim() };
}

/** The next free name of the form `vendor`, `vendor-2`, … for a target added in the window. */
export function newTargetName(targets: readonly TargetDraft[]): string {
  const taken = new Set(targets.map((t) => t.name));
  if (!taken.has('vendor')) return 'vendor';
  let n = 2;
  while (taken.has(`vendor-${n}`)) n += 1;
  return `vendor-${n}`;
}

/** Where in the form a problem of the config validator belongs. */
export type IssuePlace =
  | { readonly kind: 'folder'; readonly index: number }
  | { readonly kind: 'target'; readonly name: string }
  | { readonly kind: 'general' };

export function placeOf(issue: ConfigIssue): IssuePlace {
  const folder = /^folders\[(\d+)\]/.exec(issue.path);
  if (folder !== null) return { kind: 'folder', index: Number(folder[1]) };
  const target = /^targets\.([^.]+)/.exec(issue.path);
  if (target?.[1] !== undefined) return { kind: 'target', name: target[1] };
  return { kind: 'general' };
}

export function folderIssues(issues: readonly ConfigIssue[], index: number): ConfigIssue[] {
  return issues.filter((issue) => {
    const place = placeOf(issue);
    return place.kind === 'folder' && place.index === index;
  });
}

export function targetIssues(issues: readonly ConfigIssue[], name: string): ConfigIssue[] {
  return issues.filter((issue) => {
    const place = placeOf(issue);
    return place.kind === 'target' && place.name === name;
  });
}

export function generalIssues(issues: readonly ConfigIssue[]): ConfigIssue[] {
  return issues.filter((issue) => placeOf(issue).kind === 'general');
}

/** Names to try a rule on when the folder has delivered nothing yet: a good one and common mistakes. */
const STOCK_EXAMPLES = [
  'orders-2024-06-12-v1.csv',
  'acme_sales_2024-06-12.csv',
  'orders_2024-06-12.csv',
  'Sales Report June.csv',
];

/** The names the preview shows: the folder's own recent files first, then stock ones, each once. */
export function exampleNames(recent: readonly string[], extra: string, limit = 6): string[] {
  const names = [...(extra.trim() === '' ? [] : [extra.trim()]), ...recent, ...STOCK_EXAMPLES];
  return [...new Set(names)].slice(0, limit);
}

export type RulePreview =
  | { readonly ok: true; readonly results: readonly { name: string; verdict: NameVerdict }[] }
  | { readonly ok: false; readonly error: string };

/** The verdict of the rule on each name, computed by the same naming module the agent uses. */
export function previewRule(rule: string, names: readonly string[]): RulePreview {
  try {
    const parsed = parseRule(rule);
    return { ok: true, results: names.map((name) => ({ name, verdict: checkName(name, parsed) })) };
  } catch (error) {
    if (error instanceof RuleError) return { ok: false, error: error.message };
    throw error;
  }
}

/** `a, b` in the form ↔ `["a", "b"]` in the config. */
export function splitList(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}
