import { useState, type SyntheticEvent } from 'react';
import { PROFILES, type ConfigIssue } from '../../shared/config.js';
import type { SettingsView } from '../../shared/contract.js';
import { DEFAULT_TEMPLATE } from '../../shared/naming.js';
import type { Transport } from '../transport/transport.js';
import { TokenField } from './token-field.js';

interface FirstRunProps {
  readonly transport: Transport;
  readonly settings: SettingsView;
  readonly onChanged: () => void;
  readonly onSkip: () => void;
}

/** The target the vendor setup creates. */
const FIRST_TARGET = 'vendor';

const message = (reason: unknown) => (reason instanceof Error ? reason.message : String(reason));

/** No config yet: point Ferry at a vendor (endpoint, folder, token), saved to the config file. */
function VendorSetup({ transport, settings, onChanged }: Omit<FirstRunProps, 'onSkip'>) {
  const [endpoint, setEndpoint] = useState('');
  const [profile, setProfile] = useState<string>('lexer');
  const [folder, setFolder] = useState('');
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<readonly ConfigIssue[]>([]);

  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblems([]);
    try {
      const answer = await transport.run('settings.update', {
        targets: [{ name: FIRST_TARGET, profile, endpoint: endpoint.trim() }],
        folders: [
          {
            path: folder.trim(),
            target: FIRST_TARGET,
            rule: DEFAULT_TEMPLATE,
            fields: {},
            after: 'leave',
            ignore: [],
          },
        ],
        concurrency: settings.concurrency,
        notifications: settings.notifications,
        startAtLogin: settings.startAtLogin,
      });
      if (!answer.saved) {
        setProblems(answer.issues);
        return;
      }
      if (token.trim() !== '') {
        await transport
          .run('settings.setToken', { target: FIRST_TARGET, token: token.trim() })
          .catch((reason: unknown) => {
            setProblems([
              { path: 'token', problem: `saved the settings, but not the token: ${message(reason)}` },
            ]);
          });
        setToken('');
      }
      onChanged();
    } catch (reason) {
      setProblems([{ path: 'settings', problem: message(reason) }]);
    } finally {
      setBusy(false);
    }
  };

  if (settings.readOnly !== undefined) return <p className="read-only">{settings.readOnly}</p>;
  return (
    <form
      className="setup-form"
      data-testid="vendor-setup"
      onSubmit={(event) => {
        void submit(event);
      }}
    >
      <label>
        Endpoint (the URL that hands out upload URLs)
        <input
          value={endpoint}
          placeholder="https://api.vendor.example/v1/uploads"
          spellCheck={false}
          required
          onChange={(event) => {
            setEndpoint(event.target.value);
          }}
        />
      </label>
      <label>
        Profile
        <select
          value={profile}
          onChange={(event) => {
            setProfile(event.target.value);
          }}
        >
          {PROFILES.filter((p) => p !== 'presigned-put').map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
      </label>
      <label>
        Folder to watch
        <input
          value={folder}
          placeholder="/data/outbox"
          spellCheck={false}
          required
          onChange={(event) => {
            setFolder(event.target.value);
          }}
        />
      </label>
      <label>
        API token (kept in the system keyring, never shown again)
        <input
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={token}
          onChange={(event) => {
            setToken(event.target.value);
          }}
        />
      </label>
      <button type="submit" disabled={busy}>
        {busy ? 'Saving…' : 'Save and start'}
      </button>
      {settings.configPath !== undefined && (
        <p className="muted">
          Saved to <code>{settings.configPath}</code>.
        </p>
      )}
      {problems.length > 0 && (
        <ul className="issues" role="alert">
          {problems.map((p) => (
            <li key={`${p.path}:${p.problem}`}>
              <code>{p.path}</code>: {p.problem}
            </li>
          ))}
        </ul>
      )}
    </form>
  );
}

/** Try Ferry without a vendor: a sandbox in the agent's process, and sample files to deliver to it. */
function SandboxTrial({ transport, settings, onChanged }: Omit<FirstRunProps, 'onSkip'>) {
  const [state, setState] = useState<{ busy: boolean; error?: string }>({ busy: false });
  if (!settings.canTrial)
    return (
      <p className="muted">
        The desktop app cannot start the sandbox. In a terminal, <code>ferry watch --ui</code> (with no
        config) offers it, or <code>ferry watch &lt;folder&gt; --sandbox</code> delivers a folder to one.
      </p>
    );
  return (
    <div data-testid="sandbox-setup">
      <button
        type="button"
        disabled={state.busy}
        onClick={() => {
          setState({ busy: true });
          transport.run('setup.sandbox', {}).then(onChanged, (reason: unknown) => {
            setState({ busy: false, error: message(reason) });
          });
        }}
      >
        {state.busy ? 'Starting…' : 'Start the sandbox with sample files'}
      </button>
      {state.error !== undefined && <p className="error-text">{state.error}</p>}
    </div>
  );
}

/**
 * The first run. With no config: deliver to a vendor, or try the local sandbox
 * with sample files. With a target but no token: the one thing Ferry cannot
 * deliver without.
 */
export function FirstRun({ transport, settings, onChanged, onSkip }: FirstRunProps) {
  const missing = settings.targets.filter((target) => !target.hasToken);
  if (settings.targets.length === 0)
    return (
      <section className="first-run" aria-label="Set up Ferry" data-testid="first-run">
        <h2>Welcome to Ferry</h2>
        <p>
          Ferry delivers every well-named file that lands in a watched folder to your vendor, once. Choose how
          to start.
        </p>
        <div className="choices">
          <section className="card" aria-labelledby="choice-vendor">
            <h3 id="choice-vendor">Deliver to your vendor</h3>
            <VendorSetup transport={transport} settings={settings} onChanged={onChanged} />
          </section>
          <section className="card" aria-labelledby="choice-sandbox">
            <h3 id="choice-sandbox">Try it first</h3>
            <p>
              Start a local sandbox that plays the vendor, with a folder of sample files: three are delivered,
              one is refused for its name. Nothing leaves this machine and nothing is saved to the config.
            </p>
            <SandboxTrial transport={transport} settings={settings} onChanged={onChanged} />
          </section>
        </div>
        <button type="button" className="link-button" onClick={onSkip}>
          Skip for now
        </button>
      </section>
    );
  return (
    <section className="first-run" aria-label="Set up Ferry" data-testid="first-run">
      <h2>Welcome to Ferry</h2>
      <p>
        Ferry delivers every well-named file that lands in a watched folder to your vendor, once. One step is
        left before it can start.
      </p>
      <ol className="steps">
        <li className="done">
          <strong>Folders</strong>:{' '}
          {settings.folders.length === 0
            ? 'none yet — add one in Settings'
            : settings.folders.map((f) => f.path).join(', ')}
        </li>
        <li>
          <strong>API token</strong>: paste the token your vendor gave you. It is stored in the system keyring
          and never shown again.
          {missing.map((target) => (
            <TokenField
              key={target.name}
              transport={transport}
              target={target.name}
              hasToken={false}
              onSaved={onChanged}
            />
          ))}
        </li>
      </ol>
      <button type="button" className="link-button" onClick={onSkip}>
        Skip for now
      </button>
    </section>
  );
}
