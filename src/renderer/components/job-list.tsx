import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, type KeyboardEvent } from 'react';
import type { JobView, ProgressView } from '../../shared/contract.js';
import { JobRow } from './job-row.js';

const ROW_HEIGHT = 64;

interface JobListProps {
  readonly jobs: readonly JobView[];
  readonly progress: ReadonlyMap<string, ProgressView>;
  readonly now: number;
  /** Targets that do not answer (from the summary): their waiting jobs say so. */
  readonly offlineTargets: readonly string[];
  readonly selectedId: string | undefined;
  readonly onSelect: (id: string) => void;
  readonly onOpen: (id: string) => void;
}

/**
 * The jobs, virtualized: only the rows in view exist in the DOM, so 10,000
 * jobs scroll like 10. One focusable listbox; arrows, Home/End and Page keys
 * move the selection, Enter opens the detail.
 */
export function JobList({ jobs, progress, now, offlineTargets, selectedId, onSelect, onOpen }: JobListProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: jobs.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
  });
  const selectedIndex = jobs.findIndex((job) => job.id === selectedId);

  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? ROW_HEIGHT) / ROW_HEIGHT) - 1);
    const moves: Partial<Record<string, number>> = {
      ArrowDown: selectedIndex + 1,
      ArrowUp: selectedIndex - 1,
      PageDown: selectedIndex + page,
      PageUp: selectedIndex - page,
      Home: 0,
      End: jobs.length - 1,
    };
    const next = moves[event.key];
    if (next !== undefined && jobs.length > 0) {
      event.preventDefault();
      const job = jobs[Math.min(jobs.length - 1, Math.max(0, next))];
      if (job !== undefined) onSelect(job.id);
    } else if (event.key === 'Enter' && selectedId !== undefined) {
      event.preventDefault();
      onOpen(selectedId);
    }
  };

  return (
    <div
      ref={scroller}
      className="job-list"
      role="listbox"
      aria-label="Jobs"
      tabIndex={0}
      aria-activedescendant={selectedId === undefined ? undefined : `job-${selectedId}`}
      onKeyDown={onKeyDown}
      data-testid="job-list"
    >
      <div className="job-list-inner" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((item) => {
          const job = jobs[item.index];
          if (job === undefined) return null;
          return (
            <div
              key={job.id}
              className="job-slot"
              style={{ height: item.size, transform: `translateY(${item.start}px)` }}
            >
              <JobRow
                job={job}
                progress={progress.get(job.id)}
                now={now}
                offline={offlineTargets.includes(job.target)}
                selected={job.id === selectedId}
                onSelect={(id) => {
                  onSelect(id);
                  onOpen(id);
                }}
              />
            </div>
          );
        })}
      </div>
    </div>
  );
}
