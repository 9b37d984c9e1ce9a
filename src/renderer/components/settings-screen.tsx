import { useEffect, useRef, useState } from 'react';
import { NOTIFICATION_MODES, PROFILES, type ConfigIssue } from '../../shared/config.js';
import type { ConnectionTest, SettingsView } from '../../shared/contract.js';
import type { ExpectationSetting } from '../../shared/expectations.js';
import type { FolderDraft, SettingsDraft, TargetDraft } from '../../shared/settings-draft.js';
import {
  draftFrom,
  folderIssues,
  generalIssues,
  isDirty,
  newExpectation,
  newFolder,
  newTargetName,
  splitList,
  targetChanged,
  targetIssues,
  withDated,
  withOn,
  withTimezone,
} from '../settings-form.js';
import type { Transport } from '../transport/transport.js';
import { RulePreview } from './rule-preview.js';
import { TokenField } from './token-field.js';

interface SettingsScreenProps {
  readonly transport: Transport;
  readonly settings: SettingsView | undefined;
  /** Recent file names of a folder, for the rule preview. */
  readonly recentNames: (folder: string) => readonly string[];
  readonly onChanged: () => void;
  readonly onClose: () => void;
  readonly onAction: (run: () => Promise<unknown>, done: string) => void;
}

const NOTIFICATION_LABELS: Readonly<Record<(typeof NOTIFICATION_MODES)[number], string>> = {
  all: 'Deliveries and problems',
  'errors-only': 'Problems only',
  off: 'Off',
};

const message = (reason: unknown) => (reason instanceof Error ? reason.message : String(reason));

function Issues({ issues }: { readonly issues: readonly ConfigIssue[] }) {
  if (issues.length === 0) return null;
  return (
    <ul className="issues" role="alert" data-testid="issues">
      {issues.map((issue) => (
        <li key={`${issue.path}:${issue.problem}`}>
          <code>{issue.path}</code>: {issue.problem}
        </li>
      ))}
    </ul>
  );
}

/** Key/value rows; an empty name drops its row from the config. */
function FieldsEditor({
  fields,
  onChange,
}: {
  readonly fields: Readonly<Record<string, string>>;
  readonly onChange: (fields: Record<string, string>) => void;
}) {
  // Rows, not the object: a half-typed name must not merge into another row's.
  const [rows, setRows] = useState<[string, string][]>(() => Object.entries(fields));
  const update = (next: [string, string][]) => {
    setRows(next);
    onChange(Object.fromEntries(next.filter(([key]) => key.trim() !== '')));
  };
  return (
    <div className="fields-editor">
      <span className="field-title">Fields</span>
      {rows.length === 0 && <span className="muted"> none</span>}
      {rows.map(([key, value], index) => (
        <div className="field-row" key={index}>
          <input
            aria-label={`Field ${index + 1} name`}
            value={key}
            placeholder="dataset_id"
            spellCheck={false}
            onChange={(event) => {
              update(rows.map((row, i) => (i === index ? [event.target.value, row[1]] : row)));
            }}
          />
          <input
            aria-label={`Field ${index + 1} value`}
            value={value}
            spellCheck={false}
            onChange={(event) => {
              update(rows.map((row, i) => (i === index ? [row[0], event.target.value] : row)));
            }}
          />
          <button
            type="button"
            onClick={() => {
              update(rows.filter((_, i) => i !== index));
            }}
          >
            Remove field
          </button>
        </div>
      ))}
      <button
        type="button"
        onClick={() => {
          setRows([...rows, ['', '']]);
        }}
      >
        Add field
      </button>
    </div>
  );
}

const EVERY_SUGGESTIONS = ['day', 'mon-fri', 'mon,wed,fri', 'week', 'month'];

/** The files a folder must deliver, and by when: one row each. */
function ExpectationsEditor({
  expectations,
  onChange,
}: {
  readonly expectations: readonly ExpectationSetting[];
  readonly onChange: (expectations: ExpectationSetting[]) => void;
}) {
  const update = (index: number, change: (e: ExpectationSetting) => ExpectationSetting) => {
    onChange(expectations.map((e, i) => (i === index ? change(e) : e)));
  };
  return (
    <div className="expect-editor" data-testid="expect-editor">
      <span className="field-title">Expected files</span>
      {expectations.length === 0 && (
        <span className="muted"> none — Ferry does not watch for late files here</span>
      )}
      <datalist id="every-suggestions">
        {EVERY_SUGGESTIONS.map((every) => (
          <option key={every} value={every} />
        ))}
      </datalist>
      {expectations.map((expectation, index) => (
        <div className="expect-row" key={index}>
          <label>
            Descriptor
            <input
              value={expectation.descriptor}
              placeholder="customers"
              spellCheck={false}
              onChange={(event) => {
                update(index, (e) => ({ ...e, descriptor: event.target.value }));
              }}
            />
          </label>
          <label>
            Every
            <input
              value={expectation.every}
              list="every-suggestions"
              spellCheck={false}
              onChange={(event) => {
                update(index, (e) => withOn({ ...e, every: event.target.value }, String(e.on ?? '')));
              }}
            />
          </label>
          {(expectation.every === 'week' || expectation.every === 'month') && (
            <label>
              On
              <input
                value={String(expectation.on ?? '')}
                placeholder={expectation.every === 'week' ? 'mon' : '1'}
                spellCheck={false}
                onChange={(event) => {
                  update(index, (e) => withOn(e, event.target.value));
                }}
              />
            </label>
          )}
          <label>
            By
            <input
              value={expectation.by}
              placeholder="09:00"
              spellCheck={false}
              onChange={(event) => {
                update(index, (e) => ({ ...e, by: event.target.value }));
              }}
            />
          </label>
          <label>
            Time zone
            <input
              value={expectation.timezone ?? ''}
              placeholder="this computer's"
              spellCheck={false}
              onChange={(event) => {
                update(index, (e) => withTimezone(e, event.target.value));
              }}
            />
          </label>
          <label>
            File dated
            <select
              value={expectation.date ?? 'delivery-day'}
              onChange={(event) => {
                update(index, (e) => withDated(e, event.target.value));
              }}
            >
              <option value="delivery-day">the day it is due</option>
              <option value="previous-day">the day before</option>
            </select>
          </label>
          <button
            type="button"
            onClick={() => {
              onChange(expectations.filter((_, i) => i !== index));
            }}
          >
            Remove
          </button>
        </div>
      ))}
      <button
        type="button"
        onClick={() => {
          onChange([...expectations, newExpectation()]);
        }}
      >
        Add expected file
      </button>
    </div>
  );
}

interface FolderCardProps {
  readonly folder: FolderDraft;
  readonly index: number;
  readonly targets: readonly TargetDraft[];
  readonly paused: boolean | undefined;
  /** What the agent found wrong with the folder as saved, though it delivers. */
  readonly notice: string | undefined;
  readonly locked: boolean;
  readonly issues: readonly ConfigIssue[];
  readonly recent: readonly string[];
  readonly onChange: (folder: FolderDraft) => void;
  readonly onRemove: () => void;
  readonly onPauseToggle: () => void;
}

function FolderCard(props: FolderCardProps) {
  const { folder, index, targets, paused, locked, issues } = props;
  const [ignoreText, setIgnoreText] = useState(folder.ignore.join(', '));
  const set = (change: Partial<FolderDraft>) => {
    props.onChange({ ...folder, ...change });
  };
  return (
    <li className="card" data-testid="folder-card">
      <div className="card-head">
        <strong className="path">{folder.path === '' ? 'New folder' : folder.path}</strong>
        <span className="card-actions">
          {paused !== undefined && (
            <button type="button" onClick={props.onPauseToggle}>
              {paused ? 'Resume' : 'Pause'}
            </button>
          )}
          <button type="button" disabled={locked} onClick={props.onRemove}>
            Remove folder
          </button>
        </span>
      </div>
      {props.notice !== undefined && (
        <p className="folder-notice" role="note" data-testid="folder-notice">
          {props.notice}
        </p>
      )}
      <fieldset className="plain" disabled={locked}>
        <legend className="visually-hidden">Folder {index + 1}</legend>
        <div className="form-grid">
          <label>
            Folder path
            <input
              value={folder.path}
              placeholder="/data/outbox"
              spellCheck={false}
              onChange={(event) => {
                set({ path: event.target.value });
              }}
            />
          </label>
          <label>
            Target
            <select
              value={folder.target}
              onChange={(event) => {
                set({ target: event.target.value });
              }}
            >
              {!targets.some((t) => t.name === folder.target) && <option value={folder.target}>—</option>}
              {targets.map((target) => (
                <option key={target.name} value={target.name}>
                  {target.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            Naming rule
            <input
              value={folder.rule}
              spellCheck={false}
              onChange={(event) => {
                set({ rule: event.target.value });
              }}
            />
          </label>
          <label>
            After delivery
            <select
              value={folder.after}
              onChange={(event) => {
                set({ after: event.target.value });
              }}
            >
              <option value="leave">Leave the file where it is</option>
              <option value="move">Move it into sent/</option>
            </select>
          </label>
          <label>
            Ignore (globs, comma-separated)
            <input
              value={ignoreText}
              placeholder="draft-*, *.bak"
              spellCheck={false}
              onChange={(event) => {
                setIgnoreText(event.target.value);
                set({ ignore: splitList(event.target.value) });
              }}
            />
          </label>
        </div>
        <FieldsEditor
          fields={folder.fields}
          onChange={(fields) => {
            set({ fields });
          }}
        />
        <ExpectationsEditor
          expectations={folder.expect ?? []}
          onChange={(expect) => {
            set({ expect });
          }}
        />
        <RulePreview rule={folder.rule} recent={props.recent} />
      </fieldset>
      <Issues issues={issues} />
    </li>
  );
}

interface TargetCardProps {
  readonly transport: Transport;
  readonly target: TargetDraft;
  readonly saved: SettingsView['targets'][number] | undefined;
  readonly changed: boolean;
  readonly locked: boolean;
  readonly issues: readonly ConfigIssue[];
  readonly onChange: (target: TargetDraft) => void;
  readonly onRemove: () => void;
  readonly onTokenSaved: () => void;
}

function TargetCard(props: TargetCardProps) {
  const { transport, target, saved, changed, locked, issues } = props;
  const [test, setTest] = useState<ConnectionTest | 'running'>();
  const set = (change: Partial<TargetDraft>) => {
    setTest(undefined);
    props.onChange({ ...target, ...change });
  };
  return (
    <li className="card target" data-testid={`target-card-${saved?.name ?? 'new'}`}>
      <div className="card-head">
        {saved === undefined ? (
          <label className="inline-label">
            Target name{' '}
            <input
              value={target.name}
              disabled={locked}
              spellCheck={false}
              onChange={(event) => {
                set({ name: event.target.value });
              }}
            />
          </label>
        ) : (
          <strong>{target.name}</strong>
        )}
        <button type="button" disabled={locked} onClick={props.onRemove}>
          Remove target
        </button>
      </div>
      <fieldset className="plain" disabled={locked}>
        <legend className="visually-hidden">Target {target.name}</legend>
        <div className="form-grid">
          <label>
            Profile
            <select
              value={target.profile}
              onChange={(event) => {
                set({ profile: event.target.value });
              }}
            >
              {PROFILES.map((profile) => (
                <option key={profile} value={profile}>
                  {profile}
                </option>
              ))}
            </select>
          </label>
          <label className="wide">
            Endpoint
            <input
              value={target.endpoint}
              placeholder="https://api.vendor.example/v1/uploads"
              spellCheck={false}
              onChange={(event) => {
                set({ endpoint: event.target.value });
              }}
            />
          </label>
        </div>
      </fieldset>
      <div className="test-row">
        <button
          type="button"
          disabled={changed || test === 'running'}
          onClick={() => {
            setTest('running');
            transport.run('target.test', { target: target.name }).then(setTest, (reason: unknown) => {
              setTest({ outcome: 'failed', message: message(reason) });
            });
          }}
        >
          {test === 'running' ? 'Testing…' : 'Test connection'}
        </button>
        {changed && <span className="muted">Save to test these settings.</span>}
        {test !== undefined && test !== 'running' && (
          <p className={`test-result test-${test.outcome}`} role="status" data-testid="connection-test">
            {test.message}
          </p>
        )}
      </div>
      {saved !== undefined && (
        <TokenField
          transport={transport}
          target={saved.name}
          hasToken={saved.hasToken}
          onSaved={props.onTokenSaved}
        />
      )}
      <Issues issues={issues} />
    </li>
  );
}

/**
 * Folders, targets, limits and the app's own settings, edited as one draft and
 * saved together: the agent validates it as it validates the config file,
 * writes the file, and switches to it without a restart. A folder's pause and
 * a target's token act at once, outside the draft.
 */
export function SettingsScreen(props: SettingsScreenProps) {
  const { transport, settings, onChanged, onClose, onAction } = props;
  const [draft, setDraft] = useState<SettingsDraft>();
  const [issues, setIssues] = useState<readonly ConfigIssue[]>([]);
  const [status, setStatus] = useState<string>();
  const [saving, setSaving] = useState(false);
  // Bumped to rebuild the cards (and their local text) from a fresh draft.
  const [generation, setGeneration] = useState(0);
  const shown = useRef<SettingsView>(undefined);
  const editing = useRef<SettingsDraft>(undefined);
  const adopt = useRef(false);

  // The agent's settings start the form; a reload (a token saved) leaves unsaved edits alone.
  useEffect(() => {
    if (settings === undefined) return;
    const before = shown.current;
    shown.current = settings;
    const current = editing.current;
    if (current !== undefined && before !== undefined && !adopt.current && isDirty(current, before)) return;
    adopt.current = false;
    editing.current = draftFrom(settings);
    setDraft(editing.current);
    setGeneration((n) => n + 1);
  }, [settings]);

  if (settings === undefined || draft === undefined)
    return (
      <section className="settings" aria-label="Settings" data-testid="settings">
        <p className="muted">Loading…</p>
      </section>
    );

  const locked = settings.readOnly !== undefined || saving;
  const dirty = isDirty(draft, settings);
  const edit = (change: Partial<SettingsDraft>, remount = false) => {
    setStatus(undefined);
    editing.current = { ...draft, ...change };
    setDraft(editing.current);
    // Cards keep half-typed text of their own; after a removal they start again from the draft.
    if (remount) setGeneration((n) => n + 1);
  };

  const save = () => {
    setSaving(true);
    transport.run('settings.update', draft).then(
      (answer) => {
        setSaving(false);
        if (!answer.saved) {
          setIssues(answer.issues);
          setStatus(undefined);
          return;
        }
        setIssues([]);
        setStatus(
          answer.applied
            ? `Saved to ${answer.configPath}. The agent uses the new settings now; no restart needed.`
            : (answer.note ?? `Saved to ${answer.configPath}. Restart Ferry to apply.`),
        );
        adopt.current = true;
        onChanged();
      },
      (reason: unknown) => {
        setSaving(false);
        setIssues([{ path: 'settings', problem: message(reason) }]);
      },
    );
  };

  return (
    <section className="settings" aria-label="Settings" data-testid="settings">
      <header className="detail-head">
        <h2>Settings</h2>
        <button type="button" onClick={onClose}>
          Back to jobs
        </button>
      </header>
      <div className="save-bar" data-testid="save-bar">
        {settings.readOnly === undefined ? (
          <>
            <button type="submit" disabled={!dirty || locked} onClick={save}>
              {saving ? 'Saving…' : 'Save changes'}
            </button>
            <button
              type="button"
              disabled={!dirty || locked}
              onClick={() => {
                setIssues([]);
                setStatus(undefined);
                editing.current = draftFrom(settings);
                setDraft(editing.current);
                setGeneration((n) => n + 1);
              }}
            >
              Discard
            </button>
            <span className="muted" data-testid="save-status" role="status">
              {status ??
                (dirty ? 'Unsaved changes.' : `Saved in ${settings.configPath ?? 'the config file'}.`)}
            </span>
          </>
        ) : (
          <p className="read-only" data-testid="read-only">
            {settings.readOnly}
          </p>
        )}
        <Issues issues={generalIssues(issues)} />
      </div>

      {settings.trial !== undefined && (
        <p className="trial" data-testid="trial">
          Sandbox trial: files in <code>{settings.trial.folder}</code> go to the local sandbox at{' '}
          <code>{settings.trial.endpoint}</code>. It is not saved in the config and stops with Ferry.
        </p>
      )}

      <h3>Watched folders</h3>
      {draft.folders.length === 0 && <p className="muted">No folder is watched.</p>}
      <ul className="settings-list" key={`folders-${generation}`}>
        {draft.folders.map((folder, index) => {
          const saved = settings.folders.find((f) => f.path === folder.original);
          return (
            <FolderCard
              // A folder's place in the list is its identity while the form is open.
              key={index}
              folder={folder}
              index={index}
              targets={draft.targets}
              paused={saved?.paused}
              notice={saved?.notice}
              locked={locked}
              issues={folderIssues(issues, index)}
              recent={props.recentNames(folder.original ?? folder.path)}
              onChange={(next) => {
                edit({ folders: draft.folders.map((f, i) => (i === index ? next : f)) });
              }}
              onRemove={() => {
                edit({ folders: draft.folders.filter((_, i) => i !== index) }, true);
              }}
              onPauseToggle={() => {
                if (saved === undefined) return;
                onAction(
                  () =>
                    transport
                      .run(saved.paused ? 'agent.resume' : 'agent.pause', { folder: saved.path })
                      .then(onChanged),
                  saved.paused ? `${saved.path} resumed` : `${saved.path} paused`,
                );
              }}
            />
          );
        })}
      </ul>
      <button
        type="button"
        disabled={locked}
        onClick={() => {
          edit({ folders: [...draft.folders, newFolder(draft.targets)] });
        }}
      >
        Add folder
      </button>

      <h3>Targets</h3>
      <ul className="settings-list" key={`targets-${generation}`}>
        {draft.targets.map((target, index) => {
          const known = settings.targets.find((t) => t.name === target.name);
          return (
            <TargetCard
              key={index}
              transport={transport}
              target={target}
              saved={known}
              changed={targetChanged(target, settings)}
              locked={locked}
              issues={targetIssues(issues, target.name)}
              onChange={(next) => {
                edit({ targets: draft.targets.map((t, i) => (i === index ? next : t)) });
              }}
              onRemove={() => {
                edit({ targets: draft.targets.filter((_, i) => i !== index) }, true);
              }}
              onTokenSaved={onChanged}
            />
          );
        })}
      </ul>
      <button
        type="button"
        disabled={locked}
        onClick={() => {
          edit({
            targets: [
              ...draft.targets,
              { name: newTargetName(draft.targets), profile: 'lexer', endpoint: '' },
            ],
          });
        }}
      >
        Add target
      </button>

      <h3>Deliveries</h3>
      <fieldset className="plain" disabled={locked}>
        <legend className="visually-hidden">Deliveries</legend>
        <label className="inline-label">
          Files at a time per target{' '}
          <input
            type="number"
            min={1}
            max={32}
            value={draft.concurrency}
            onChange={(event) => {
              edit({ concurrency: Number(event.target.value) || 0 });
            }}
          />
        </label>
        <Issues issues={issues.filter((i) => i.path === 'concurrency')} />
      </fieldset>

      <h3>Desktop app</h3>
      <fieldset className="plain" disabled={locked}>
        <legend className="visually-hidden">Desktop app</legend>
        <label className="inline-label">
          Notifications{' '}
          <select
            value={draft.notifications}
            onChange={(event) => {
              edit({ notifications: event.target.value });
            }}
          >
            {NOTIFICATION_MODES.map((mode) => (
              <option key={mode} value={mode}>
                {NOTIFICATION_LABELS[mode]}
              </option>
            ))}
          </select>
        </label>{' '}
        <label className="inline-label">
          <input
            type="checkbox"
            checked={draft.startAtLogin}
            onChange={(event) => {
              edit({ startAtLogin: event.target.checked });
            }}
          />{' '}
          Start Ferry when I log in (macOS and Windows)
        </label>
        {!settings.desktop && (
          <p className="muted">
            Saved for the desktop app, which reads the same config file: this agent (<code>ferry watch</code>)
            shows no notifications and is started by you or your service manager.
          </p>
        )}
      </fieldset>
    </section>
  );
}
