import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { SettingsView } from '../../shared/contract.js';
import { receiptsCsv } from '../../shared/receipts.js';
import { downloadText } from '../download.js';
import { filterCounts, visibleJobs, type JobFilter } from '../job-filter.js';
import type { Transport } from '../transport/transport.js';
import { checkUpload } from '../upload-check.js';
import { useAgent } from '../use-agent.js';
import { useDrop } from '../use-drop.js';
import { useNow } from '../use-now.js';
import { EmptyState } from './empty-state.js';
import { ExpectationsPanel } from './expectations-panel.js';
import { FilterBar } from './filter-bar.js';
import { FirstRun } from './first-run.js';
import { JobDetail } from './job-detail.js';
import { JobList } from './job-list.js';
import { NoticeArea, type Notice } from './notice-area.js';
import { SettingsScreen } from './settings-screen.js';
import { StatusHeader } from './status-header.js';

type Screen = 'jobs' | 'settings';

const EMPTY_HINTS: Readonly<Record<JobFilter, { title: string; hint: string }>> = {
  all: {
    title: 'No files yet',
    hint: 'Drop a file here, use “Upload a file…”, or save one into a watched folder.',
  },
  active: { title: 'Nothing in progress', hint: 'Every file is delivered or needs attention.' },
  attention: { title: 'Nothing needs attention', hint: 'Failed and rejected files show up here.' },
  completed: { title: 'Nothing delivered yet', hint: 'Delivered files show up here.' },
};

export function App({ transport }: { readonly transport: Transport }) {
  const agent = useAgent(transport);
  const now = useNow();
  const [filter, setFilter] = useState<JobFilter>('all');
  const [search, setSearch] = useState('');
  const [selectedId, setSelectedId] = useState<string>();
  const [detailId, setDetailId] = useState<string>();
  const [screen, setScreen] = useState<Screen>('jobs');
  const [settings, setSettings] = useState<SettingsView>();
  /** Bumped when settings are read again: expected files may have been added or changed. */
  const [settingsRevision, setSettingsRevision] = useState(0);
  const [skippedSetup, setSkippedSetup] = useState(false);
  const [notices, setNotices] = useState<Notice[]>([]);
  const nextNotice = useRef(1);
  const picker = useRef<HTMLInputElement>(null);

  const notify = useCallback((kind: Notice['kind'], text: string) => {
    const id = nextNotice.current++;
    setNotices((all) => [...all.slice(-4), { id, kind, text }]);
    if (kind === 'info')
      setTimeout(() => {
        setNotices((all) => all.filter((n) => n.id !== id));
      }, 5000);
  }, []);

  const loadSettings = useCallback(() => {
    transport.run('settings.get', {}).then(
      (view) => {
        setSettings(view);
        setSettingsRevision((n) => n + 1);
      },
      (reason: unknown) => {
        notify(
          'error',
          `Settings could not be read: ${reason instanceof Error ? reason.message : String(reason)}`,
        );
      },
    );
  }, [transport, notify]);

  useEffect(loadSettings, [loadSettings]);

  const act = useCallback(
    (run: () => Promise<unknown>, done: string) => {
      run().then(
        () => {
          notify('info', done);
        },
        (reason: unknown) => {
          notify('error', reason instanceof Error ? reason.message : String(reason));
        },
      );
    },
    [notify],
  );

  const exportDeliveries = useCallback(() => {
    act(async () => {
      const receipts = await transport.run('history.list', {});
      const today = new Date().toISOString().slice(0, 10);
      downloadText(`ferry-deliveries-${today}.csv`, receiptsCsv(receipts), 'text/csv');
    }, 'Deliveries exported as CSV');
  }, [transport, act]);

  const uploadFiles = useCallback(
    (files: File[]) => {
      for (const file of files) {
        const check = checkUpload(file, settings);
        if (!check.ok) {
          notify('error', check.reason);
          continue;
        }
        act(() => transport.upload(file, check.target), `${file.name} is on its way to ${check.target}`);
      }
    },
    [settings, transport, notify, act],
  );
  const dragging = useDrop(uploadFiles);

  const jobs = useMemo(() => agent.jobs ?? [], [agent.jobs]);
  const counts = useMemo(() => filterCounts(jobs), [jobs]);
  const shown = useMemo(() => visibleJobs(jobs, filter, search), [jobs, filter, search]);
  // No config yet (and no sandbox trial), or a target without a token: the setup comes first.
  const needsSetup =
    settings !== undefined &&
    ((settings.targets.length === 0 && settings.trial === undefined) ||
      settings.targets.some((target) => !target.hasToken));
  // The rule preview's best examples: what each folder actually received, newest first.
  const recentByFolder = useMemo(() => {
    const names = new Map<string, string[]>();
    for (const job of [...jobs].sort((a, b) => b.updatedAt - a.updatedAt)) {
      if (job.folder === undefined) continue;
      const list = names.get(job.folder) ?? [];
      if (list.length < 3 && !list.includes(job.file)) list.push(job.file);
      names.set(job.folder, list);
    }
    return names;
  }, [jobs]);
  const recentNames = useCallback((folder: string) => recentByFolder.get(folder) ?? [], [recentByFolder]);

  const main = () => {
    if (screen === 'settings')
      return (
        <SettingsScreen
          transport={transport}
          settings={settings}
          recentNames={recentNames}
          onChanged={loadSettings}
          onClose={() => {
            setScreen('jobs');
          }}
          onAction={act}
        />
      );
    if (!skippedSetup && needsSetup)
      return (
        <FirstRun
          transport={transport}
          settings={settings}
          onChanged={loadSettings}
          onSkip={() => {
            setSkippedSetup(true);
          }}
        />
      );
    if (agent.error !== undefined && agent.jobs === undefined)
      return (
        <div className="empty" role="alert">
          <p className="empty-title">The jobs could not be loaded</p>
          <p className="error-text">{agent.error}</p>
          <button
            type="button"
            onClick={() => {
              agent.reload();
            }}
          >
            Try again
          </button>
        </div>
      );
    if (agent.jobs === undefined) return <EmptyState title="Loading jobs…" hint="Asking the agent." />;
    return (
      <>
        <ExpectationsPanel
          transport={transport}
          revision={agent.expectationRevision + settingsRevision}
          now={now}
        />
        <FilterBar
          filter={filter}
          counts={counts}
          search={search}
          onFilter={setFilter}
          onSearch={setSearch}
          onExport={exportDeliveries}
        />
        <div className="jobs-pane">
          {shown.length === 0 ? (
            search.trim() === '' ? (
              <EmptyState {...EMPTY_HINTS[filter]} />
            ) : (
              <EmptyState title="No match" hint={`No file name contains “${search.trim()}”.`} />
            )
          ) : (
            <JobList
              jobs={shown}
              progress={agent.progress}
              now={now}
              offlineTargets={agent.summary?.offlineTargets ?? []}
              selectedId={selectedId}
              onSelect={setSelectedId}
              onOpen={setDetailId}
            />
          )}
          {detailId !== undefined && (
            <JobDetail
              transport={transport}
              jobId={detailId}
              revision={agent.revision}
              onAction={act}
              desktop={settings?.desktop === true}
              onClose={() => {
                setDetailId(undefined);
              }}
            />
          )}
        </div>
      </>
    );
  };

  return (
    <div
      className="app"
      onKeyDown={(event) => {
        if (event.key === 'Escape') setDetailId(undefined);
      }}
    >
      <StatusHeader
        summary={agent.summary}
        connection={agent.connection}
        onUpload={() => picker.current?.click()}
        onPauseToggle={() => {
          const paused = agent.summary?.paused === true;
          act(
            () => transport.run(paused ? 'agent.resume' : 'agent.pause', {}),
            paused ? 'Resumed' : 'Paused',
          );
        }}
        onRetryFailed={() => {
          act(() => transport.run('jobs.retryFailed', {}), 'Failed files queued again');
        }}
        onClearFinished={() => {
          act(() => transport.run('jobs.clearFinished', {}), 'Finished jobs cleared');
        }}
        onSettings={() => {
          setScreen(screen === 'settings' ? 'jobs' : 'settings');
          loadSettings();
        }}
      />
      <main className="app-main">{main()}</main>
      <input
        ref={picker}
        type="file"
        className="hidden"
        aria-hidden="true"
        tabIndex={-1}
        data-testid="file-picker"
        onChange={(event) => {
          uploadFiles([...(event.target.files ?? [])]);
          event.target.value = '';
        }}
      />
      {dragging && (
        <div className="drop-overlay" data-testid="drop-overlay">
          <p>Drop to deliver</p>
        </div>
      )}
      <NoticeArea
        notices={notices}
        onDismiss={(id) => {
          setNotices((all) => all.filter((n) => n.id !== id));
        }}
      />
    </div>
  );
}
