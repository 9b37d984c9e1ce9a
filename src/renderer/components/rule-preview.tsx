import { useState } from 'react';
import { exampleNames, previewRule } from '../settings-form.js';

interface RulePreviewProps {
  readonly rule: string;
  /** Names of files this folder has seen, newest first: the most telling examples. */
  readonly recent: readonly string[];
}

/** Which example names the rule being typed lets through, and why the others are refused. */
export function RulePreview({ rule, recent }: RulePreviewProps) {
  const [extra, setExtra] = useState('');
  const preview = previewRule(rule, exampleNames(recent, extra));
  return (
    <div className="rule-preview" data-testid="rule-preview">
      <label className="inline-label">
        Try a name{' '}
        <input
          value={extra}
          placeholder="e.g. orders-2024-06-12-v1.csv"
          spellCheck={false}
          onChange={(event) => {
            setExtra(event.target.value);
          }}
        />
      </label>
      {preview.ok ? (
        <ul aria-label="Example names under this rule" aria-live="polite">
          {preview.results.map(({ name, verdict }) => (
            <li key={name} className={`example-${verdict.status}`} data-testid="rule-example">
              <span className="verdict-mark" aria-hidden="true">
                {verdict.status === 'valid' ? '✓' : verdict.status === 'ignored' ? '–' : '✗'}
              </span>{' '}
              <code>{name}</code>{' '}
              <span className="muted">
                {verdict.status === 'valid'
                  ? 'passes'
                  : verdict.status === 'ignored'
                    ? `ignored: ${verdict.reason}`
                    : `fails: ${verdict.reason}${verdict.suggestion === undefined ? '' : ` (try ${verdict.suggestion})`}`}
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="error-text" role="alert">
          The rule does not parse: {preview.error}
        </p>
      )}
    </div>
  );
}
