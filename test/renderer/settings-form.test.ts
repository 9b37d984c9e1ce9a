import { describe, expect, it } from 'vitest';
import {
  draftFrom,
  exampleNames,
  folderIssues,
  generalIssues,
  isDirty,
  newTargetName,
  previewRule,
  splitList,
  targetChanged,
  targetIssues,
} from '../../src/renderer/settings-form.js';
import type { SettingsView } from '../../src/shared/contract.js';

const view: SettingsView = {
  folders: [
    {
      path: '/in',
      target: 'vendor',
      rule: '{descriptor}-{date}-{version}.{ext}',
      paused: false,
      fields: { dataset_id: 'ds-1' },
      after: 'leave',
      ignore: ['draft-*'],
      expect: [],
    },
  ],
  targets: [{ name: 'vendor', profile: 'lexer', endpoint: 'https://v.example/up', hasToken: true }],
  concurrency: 4,
  notifications: 'all',
  startAtLogin: false,
  configPath: '/etc/ferry.json',
  desktop: false,
  canTrial: true,
};

describe('the settings form', () => {
  it('starts from what the agent reports, remembering each folder’s path to match it on save', () => {
    const draft = draftFrom(view);
    expect(draft.folders[0]).toMatchObject({ path: '/in', original: '/in', ignore: ['draft-*'] });
    expect(isDirty(draft, view)).toBe(false);
    expect(isDirty({ ...draft, concurrency: 5 }, view)).toBe(true);
  });

  it('lets a target be tested only as saved', () => {
    const [target] = draftFrom(view).targets;
    if (target === undefined) throw new Error('one target');
    expect(targetChanged(target, view)).toBe(false);
    expect(targetChanged({ ...target, endpoint: 'https://w.example/up' }, view)).toBe(true);
    expect(targetChanged({ ...target, name: 'vendor-2' }, view)).toBe(true);
    expect(newTargetName([target])).toBe('vendor-2');
  });

  it('puts each problem of the validator next to the folder or target it names', () => {
    const issues = [
      { path: 'folders[1].rule', problem: 'bad' },
      { path: 'targets.vendor.endpoint', problem: 'must be https' },
      { path: 'concurrency', problem: 'too many' },
    ];
    expect(folderIssues(issues, 1)).toEqual([issues[0]]);
    expect(folderIssues(issues, 0)).toEqual([]);
    expect(targetIssues(issues, 'vendor')).toEqual([issues[1]]);
    expect(generalIssues(issues)).toEqual([issues[2]]);
  });

  it('previews a rule on example names with the naming module', () => {
    const names = exampleNames(['sales-2024-06-12-v2.csv'], 'acme_sales_2024-06-12.csv');
    expect(names.slice(0, 2)).toEqual(['acme_sales_2024-06-12.csv', 'sales-2024-06-12-v2.csv']);
    const preview = previewRule('{provider}_{datasetType}_{date}.{ext}', names);
    if (!preview.ok) throw new Error(preview.error);
    const verdict = (name: string) => preview.results.find((r) => r.name === name)?.verdict.status;
    expect(verdict('acme_sales_2024-06-12.csv')).toBe('valid');
    expect(verdict('sales-2024-06-12-v2.csv')).toBe('rejected');
    const broken = previewRule('{descriptor', names);
    expect(broken.ok).toBe(false);
  });

  it('reads a comma-separated list', () => {
    expect(splitList(' draft-*, *.bak ,, ')).toEqual(['draft-*', '*.bak']);
  });
});
