import type { AgentSummary } from '../../shared/agent-summary.js';
import { statusLine, trayState } from '../../shared/tray-model.js';
import type { Connection } from '../transport/transport.js';

interface StatusHeaderProps {
  readonly summary: AgentSummary | undefined;
  readonly connection: Connection;
  readonly onPauseToggle: () => void;
  readonly onRetryFailed: () => void;
  readonly onClearFinished: () => void;
  readonly onUpload: () => void;
  readonly onSettings: () => void;
}

const CONNECTION_TEXT: Readonly<Record<Connection, string>> = {
  connecting: 'Connecting to the agent…',
  open: '',
  lost: 'Lost the connection to the agent — reconnecting…',
};

/** The same status line as the tray, and the actions that act on every job. */
export function StatusHeader(props: StatusHeaderProps) {
  const { summary, connection } = props;
  const attention = connection === 'open' && summary !== undefined && trayState(summary) === 'attention';
  return (
    <header className="app-header">
      <div className="brand">
        <h1>Ferry</h1>
        <p
          className={attention ? 'status-line attention' : 'status-line'}
          role="status"
          data-testid="status-line"
        >
          {CONNECTION_TEXT[connection] || (summary === undefined ? 'Loading…' : statusLine(summary))}
        </p>
      </div>
      <nav className="toolbar" aria-label="Actions">
        <button type="button" onClick={props.onUpload}>
          Upload a file…
        </button>
        <button type="button" onClick={props.onPauseToggle} disabled={summary === undefined}>
          {summary?.paused === true ? 'Resume all' : 'Pause all'}
        </button>
        <button type="button" onClick={props.onRetryFailed}>
          Retry all failed
        </button>
        <button type="button" onClick={props.onClearFinished}>
          Clear finished
        </button>
        <button type="button" onClick={props.onSettings}>
          Settings
        </button>
      </nav>
    </header>
  );
}
