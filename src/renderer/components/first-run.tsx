import type { SettingsView } from '../../shared/contract.js';
import type { Transport } from '../transport/transport.js';
import { TokenField } from './token-field.js';

interface FirstRunProps {
  readonly transport: Transport;
  readonly settings: SettingsView;
  readonly onChanged: () => void;
  readonly onSkip: () => void;
}

/** Shown while a target has no token: the one thing Ferry cannot deliver without. */
export function FirstRun({ transport, settings, onChanged, onSkip }: FirstRunProps) {
  const missing = settings.targets.filter((target) => !target.hasToken);
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
            ? 'none yet — add one to the config file'
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
