import { useState, type SyntheticEvent } from 'react';
import type { Transport } from '../transport/transport.js';

interface TokenFieldProps {
  readonly transport: Transport;
  readonly target: string;
  readonly hasToken: boolean;
  readonly onSaved: () => void;
}

/**
 * Write-only: the field starts empty whether or not a token is set, and is
 * emptied once the agent has stored what was typed. The window never holds a
 * token it did not just receive from the keyboard, and never gets one back.
 */
export function TokenField({ transport, target, hasToken, onSaved }: TokenFieldProps) {
  const [value, setValue] = useState('');
  const [state, setState] = useState<{ busy: boolean; error?: string }>({ busy: false });
  const id = `token-${target}`;

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    if (value.trim() === '') return;
    setState({ busy: true });
    transport.run('settings.setToken', { target, token: value.trim() }).then(
      () => {
        setValue('');
        setState({ busy: false });
        onSaved();
      },
      (reason: unknown) => {
        setState({ busy: false, error: reason instanceof Error ? reason.message : String(reason) });
      },
    );
  };

  return (
    <form className="token-form" onSubmit={submit} data-testid={`token-form-${target}`}>
      <label htmlFor={id}>API token for {target}</label>
      <p className="token-state" data-testid="token-state">
        {hasToken ? 'A token is set. Enter a new one to replace it.' : 'No token is set.'}
      </p>
      <div className="token-row">
        <input
          id={id}
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={value}
          placeholder={hasToken ? 'Replace the token' : 'Paste the token'}
          onChange={(event) => {
            setValue(event.target.value);
          }}
        />
        <button type="submit" disabled={state.busy || value.trim() === ''}>
          {state.busy ? 'Saving…' : 'Save token'}
        </button>
      </div>
      {state.error !== undefined && <p className="error-text">{state.error}</p>}
    </form>
  );
}
