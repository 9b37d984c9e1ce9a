import { useEffect, useMemo, useState } from 'react';
import type { ExpectationStatus, ExpectationsView } from '../../shared/expectations.js';
import { expectationTable, STATE_LABELS, STATE_MARKS } from '../expectation-rows.js';
import { formatTime } from '../format.js';
import type { Transport } from '../transport/transport.js';

interface ExpectationsPanelProps {
  readonly transport: Transport;
  /** Bumped by every expectation event: the table is asked for again. */
  readonly revision: number;
  readonly now: number;
}

const DAYS = 7;

function nowText(status: ExpectationStatus, now: number): string {
  switch (status.state) {
    case 'delivered':
      return `${status.file ?? 'delivered'} · ${formatTime(status.deliveredAt ?? status.due, now)}`;
    case 'pending':
      return `due ${formatTime(status.due, now)}`;
    case 'late':
    case 'missing':
      return status.reason ?? '';
  }
}

/** Each folder's expected files: where today's stands and why, and the last week at a glance. */
export function ExpectationsPanel({ transport, revision, now }: ExpectationsPanelProps) {
  const [view, setView] = useState<ExpectationsView>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    transport.run('expectations.list', { days: DAYS }).then(
      (answer) => {
        setView(answer);
        setError(undefined);
      },
      (reason: unknown) => {
        setError(reason instanceof Error ? reason.message : String(reason));
      },
    );
  }, [transport, revision]);
  const table = useMemo(() => expectationTable(view?.statuses ?? []), [view]);
  if (error !== undefined)
    return (
      <p className="expectations error-text" role="alert">
        Expected files could not be read: {error}
      </p>
    );
  if (table.rows.length === 0) return null;
  return (
    <section className="expectations" aria-label="Expected files" data-testid="expectations">
      <table>
        <thead>
          <tr>
            <th scope="col">Expected file</th>
            <th scope="col">Now</th>
            {table.dates.map((date) => (
              <th scope="col" key={date} className="day">
                {date.slice(5)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((row) => (
            <tr key={row.key} data-testid="expectation-row" data-state={row.now.state}>
              <th scope="row">
                <span className="descriptor">{row.descriptor}</span>
                <span className="path muted">{row.folder}</span>
              </th>
              <td className="exp-now">
                <span className={`chip exp-${row.now.state}`}>{STATE_LABELS[row.now.state]}</span>{' '}
                <span className="exp-why">{nowText(row.now, now)}</span>
              </td>
              {table.dates.map((date) => {
                const status = row.days.get(date);
                return (
                  <td
                    key={date}
                    className={`day ${status === undefined ? 'exp-none' : `exp-${status.state}`}`}
                    title={status === undefined ? 'not expected' : `${date}: ${STATE_LABELS[status.state]}`}
                  >
                    {status === undefined ? '–' : STATE_MARKS[status.state]}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
