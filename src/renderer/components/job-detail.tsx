import { Fragment, useEffect, useState } from 'react';
import type { JobDetail as Detail, SupersededView } from '../../shared/contract.js';
import { formatBytes } from '../../shared/format-bytes.js';
import type { ImportStatistics } from '../../shared/import-statistics.js';
import type { JsonValue } from '../../shared/json-value.js';
import { redact } from '../../shared/redact.js';
import { clockTime } from '../format.js';
import type { Transport } from '../transport/transport.js';
import { StatusChip } from './status-chip.js';

interface JobDetailProps {
  readonly transport: Transport;
  readonly jobId: string;
  /** Changes whenever any job changed: the detail is fetched again. */
  readonly revision: number;
  readonly onClose: () => void;
  readonly onAction: (run: () => Promise<unknown>, done: string) => void;
  /** The desktop app can show the file in its folder; a browser cannot. */
  readonly desktop: boolean;
}

function NamingVerdict({ detail }: { readonly detail: Detail }) {
  const verdict = detail.naming;
  switch (verdict.status) {
    case 'valid':
      return <p className="verdict verdict-valid">The name follows the folder's rule.</p>;
    case 'ignored':
      return <p className="verdict">Ignored: {verdict.reason}</p>;
    case 'rejected':
      return (
        <div className="verdict verdict-rejected" data-testid="naming-verdict">
          <p>
            <strong>Name rejected ({verdict.code}):</strong> {verdict.reason}
          </p>
          {verdict.suggestion !== undefined && (
            <p>
              Suggested name: <code data-testid="suggested-name">{verdict.suggestion}</code>
            </p>
          )}
        </div>
      );
  }
}

function figure(value: JsonValue): string {
  return typeof value === 'number'
    ? value.toLocaleString()
    : typeof value === 'string'
      ? value
      : JSON.stringify(value);
}

/** The vendor's figures of its import, under the names it gave them. */
function ImportFigures({ statistics }: { readonly statistics: ImportStatistics }) {
  return (
    <section aria-label="Import statistics">
      <h3>Import statistics</h3>
      <dl className="facts" data-testid="import-statistics">
        {Object.entries(statistics).map(([name, value]) => (
          <Fragment key={name}>
            <dt>{name}</dt>
            <dd>{figure(value)}</dd>
          </Fragment>
        ))}
      </dl>
    </section>
  );
}

/** Everything about one job: its file, the naming verdict, every attempt and what can be done. */
export function JobDetail({ transport, jobId, revision, onClose, onAction, desktop }: JobDetailProps) {
  const [detail, setDetail] = useState<Detail>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    let current = true;
    transport.run('jobs.detail', { id: jobId }).then(
      (next) => {
        if (current) {
          setDetail(next);
          setError(undefined);
        }
      },
      (reason: unknown) => {
        if (current) setError(reason instanceof Error ? reason.message : String(reason));
      },
    );
    return () => {
      current = false;
    };
  }, [transport, jobId, revision]);

  if (error !== undefined)
    return (
      <aside className="detail" aria-label="Job detail">
        <p className="error-text">{error}</p>
      </aside>
    );
  if (detail?.id !== jobId)
    return (
      <aside className="detail" aria-label="Job detail">
        <p className="muted">Loading…</p>
      </aside>
    );

  const canRetry =
    detail.status === 'failed' || detail.status === 'rejected' || detail.status === 'retry-wait';
  return (
    <aside className="detail" aria-label="Job detail" data-testid="job-detail">
      <header className="detail-head">
        <h2>{detail.file}</h2>
        <button type="button" className="icon-button" onClick={onClose} aria-label="Close detail">
          ✕
        </button>
      </header>
      <StatusChip status={detail.status} />
      {detail.reason !== undefined && <p className="error-text">{detail.reason}</p>}
      {detail.error !== undefined && <p className="error-text">{redact(detail.error.message)}</p>}
      <div className="detail-actions">
        {canRetry && (
          <button
            type="button"
            onClick={() => {
              onAction(
                () => transport.run('jobs.retry', { id: jobId, force: true }),
                `${detail.file} queued again`,
              );
            }}
          >
            Retry
          </button>
        )}
        {detail.status === 'completed' && (
          <button
            type="button"
            onClick={() => {
              onAction(() => transport.run('jobs.reupload', { id: jobId }), `${detail.file} is sent again`);
            }}
          >
            Re-upload
          </button>
        )}
        {desktop && (
          <button
            type="button"
            onClick={() => {
              onAction(
                () => transport.run('jobs.showInFolder', { id: jobId }),
                `${detail.file} shown in its folder`,
              );
            }}
          >
            Show in folder
          </button>
        )}
      </div>
      <NamingVerdict detail={detail} />
      <dl className="facts">
        <dt>Path</dt>
        <dd>{detail.path}</dd>
        <dt>Target</dt>
        <dd>{detail.target}</dd>
        {detail.size !== undefined && (
          <>
            <dt>Size</dt>
            <dd>
              {formatBytes(detail.size)} ({detail.size.toLocaleString()} bytes)
            </dd>
          </>
        )}
        {detail.sha256 !== undefined && (
          <>
            <dt>SHA-256</dt>
            <dd className="hash">{detail.sha256}</dd>
          </>
        )}
        {detail.remoteId !== undefined && (
          <>
            <dt>Remote id</dt>
            <dd data-testid="remote-id">{detail.remoteId}</dd>
          </>
        )}
        {detail.taskId !== undefined && (
          <>
            <dt>Task id</dt>
            <dd data-testid="task-id">{detail.taskId}</dd>
          </>
        )}
        {detail.superseded?.map((earlier) => (
          <SupersededFacts key={earlier.remoteId} earlier={earlier} />
        ))}
        <dt>Attempts</dt>
        <dd>{detail.attempts}</dd>
      </dl>
      {detail.statistics !== undefined && <ImportFigures statistics={detail.statistics} />}
      <h3>History</h3>
      {detail.history.length === 0 ? (
        <p className="muted">No attempts yet.</p>
      ) : (
        <ol className="history">
          {detail.history.map((attempt, index) => (
            <li key={`${attempt.at}-${index}`}>
              <time>{clockTime(attempt.at)}</time> {attempt.outcome}
              {attempt.error !== undefined && (
                <span className="error-text"> — {redact(attempt.error.message)}</span>
              )}
            </li>
          ))}
        </ol>
      )}
    </aside>
  );
}

/** An earlier version the vendor took before the file changed: it holds that one too. */
function SupersededFacts({ earlier }: { readonly earlier: SupersededView }) {
  return (
    <>
      <dt>Also delivered</dt>
      <dd data-testid="superseded">
        an earlier version, replaced during its upload: remote id {earlier.remoteId},{' '}
        {formatBytes(earlier.size)}, <time>{clockTime(earlier.deliveredAt)}</time>
        {earlier.sha256 !== undefined && <span className="hash"> {earlier.sha256}</span>}
      </dd>
    </>
  );
}
