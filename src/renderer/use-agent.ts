import { useCallback, useEffect, useRef, useState } from 'react';
import type { AgentSummary } from '../shared/agent-summary.js';
import type { EventName, Events, JobView, ProgressView } from '../shared/contract.js';
import { JobTable } from './job-table.js';
import type { Connection, Transport } from './transport/transport.js';

export interface AgentState {
  /** undefined until the first list arrives: the loading state. */
  readonly jobs: readonly JobView[] | undefined;
  readonly progress: ReadonlyMap<string, ProgressView>;
  readonly summary: AgentSummary | undefined;
  readonly connection: Connection;
  readonly error: string | undefined;
  /** Bumped by every change to a job, so an open detail knows to reload. */
  readonly revision: number;
  /** Bumped by every expectation event, so the expected files are asked for again. */
  readonly expectationRevision: number;
  reload(): void;
}

/**
 * The agent as the window sees it: the job list kept current from events.
 * Events are applied in batches, once per animation frame, so a burst of
 * progress from many uploads re-renders the list once, not once per event.
 */
export function useAgent(transport: Transport): AgentState {
  const jobs = useRef(new JobTable());
  const progress = useRef(new Map<string, ProgressView>());
  const [snapshot, setSnapshot] = useState<{ jobs: JobView[] | undefined; revision: number }>({
    jobs: undefined,
    revision: 0,
  });
  const [summary, setSummary] = useState<AgentSummary>();
  const [connection, setConnection] = useState<Connection>('connecting');
  const [error, setError] = useState<string>();
  const [expectationRevision, setExpectationRevision] = useState(0);
  const frame = useRef<number | undefined>(undefined);
  const loaded = useRef(false);

  const publish = useCallback(() => {
    if (frame.current !== undefined) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = undefined;
      if (!loaded.current) return;
      setSnapshot((previous) => ({ jobs: jobs.current.all(), revision: previous.revision + 1 }));
    });
  }, []);

  const reload = useCallback(() => {
    const request = jobs.current.load();
    transport.run('jobs.list', {}).then(
      (list) => {
        request.arrived(list);
        loaded.current = true;
        setError(undefined);
        publish();
      },
      (reason: unknown) => {
        request.failed();
        setError(reason instanceof Error ? reason.message : String(reason));
      },
    );
  }, [transport, publish]);

  useEffect(() => {
    const onEvent = <E extends EventName>(name: E, payload: Events[E]) => {
      const event = { name, payload } as { [K in EventName]: { name: K; payload: Events[K] } }[EventName];
      switch (event.name) {
        case 'job':
          jobs.current.set(event.payload);
          if (event.payload.status !== 'uploading') progress.current.delete(event.payload.id);
          publish();
          return;
        case 'job-removed':
          jobs.current.remove(event.payload.id);
          progress.current.delete(event.payload.id);
          publish();
          return;
        case 'progress':
          progress.current.set(event.payload.jobId, event.payload);
          publish();
          return;
        case 'summary':
          setSummary(event.payload);
          return;
        case 'folder':
          // A folder gone or back comes with a summary naming the missing ones: the header shows that.
          return;
        case 'expectation':
          setExpectationRevision((n) => n + 1);
          return;
      }
    };
    const unsubscribe = transport.subscribe(onEvent, (state) => {
      setConnection(state);
      // Whatever happened while the stream was down is fetched whole.
      if (state === 'open') {
        reload();
        setExpectationRevision((n) => n + 1);
      }
    });
    return () => {
      unsubscribe();
      if (frame.current !== undefined) cancelAnimationFrame(frame.current);
    };
  }, [transport, publish, reload]);

  // Summary events come at connection time and when offline targets, a token or a missing
  // folder change; counts and rate are refreshed by asking.
  useEffect(() => {
    if (connection !== 'open') return;
    const timer = setInterval(() => {
      transport.run('agent.summary', {}).then(setSummary, () => undefined);
    }, 1000);
    return () => {
      clearInterval(timer);
    };
  }, [transport, connection]);

  return {
    jobs: snapshot.jobs,
    progress: progress.current,
    summary,
    connection,
    error,
    revision: snapshot.revision,
    expectationRevision,
    reload,
  };
}
