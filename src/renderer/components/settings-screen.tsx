import type { SettingsView } from '../../shared/contract.js';
import type { Transport } from '../transport/transport.js';
import { TokenField } from './token-field.js';

interface SettingsScreenProps {
  readonly transport: Transport;
  readonly settings: SettingsView | undefined;
  readonly onChanged: () => void;
  readonly onClose: () => void;
  readonly onAction: (run: () => Promise<unknown>, done: string) => void;
}

/** Folders (with their own pause), targets with a write-only token each, and the limits in force. */
export function SettingsScreen({ transport, settings, onChanged, onClose, onAction }: SettingsScreenProps) {
  return (
    <section className="settings" aria-label="Settings" data-testid="settings">
      <header className="detail-head">
        <h2>Settings</h2>
        <button type="button" onClick={onClose}>
          Back to jobs
        </button>
      </header>
      {settings === undefined ? (
        <p className="muted">Loading…</p>
      ) : (
        <>
          <h3>Watched folders</h3>
          {settings.folders.length === 0 && <p className="muted">No folder is watched.</p>}
          <ul className="settings-list">
            {settings.folders.map((folder) => (
              <li key={folder.path}>
                <div>
                  <strong className="path">{folder.path}</strong>
                  <span className="muted">
                    {' '}
                    → {folder.target} · rule <code>{folder.rule}</code>
                    {folder.paused ? ' · paused' : ''}
                  </span>
                </div>
                <button
                  type="button"
                  onClick={() => {
                    onAction(
                      () =>
                        transport
                          .run(folder.paused ? 'agent.resume' : 'agent.pause', { folder: folder.path })
                          .then(onChanged),
                      folder.paused ? `${folder.path} resumed` : `${folder.path} paused`,
                    );
                  }}
                >
                  {folder.paused ? 'Resume' : 'Pause'}
                </button>
              </li>
            ))}
          </ul>
          <h3>Targets</h3>
          <ul className="settings-list">
            {settings.targets.map((target) => (
              <li key={target.name} className="target">
                <div>
                  <strong>{target.name}</strong>
                  <span className="muted">
                    {' '}
                    · {target.profile} · {target.endpoint}
                  </span>
                </div>
                <TokenField
                  transport={transport}
                  target={target.name}
                  hasToken={target.hasToken}
                  onSaved={onChanged}
                />
              </li>
            ))}
          </ul>
          <h3>Deliveries</h3>
          <p>
            Up to {settings.concurrency} files at a time per target. Folders, targets and limits come from the
            config file; edit it and restart the agent to change them.
          </p>
        </>
      )}
    </section>
  );
}
