import { FILTER_LABELS, FILTERS, type JobFilter } from '../job-filter.js';

interface FilterBarProps {
  readonly filter: JobFilter;
  readonly counts: Readonly<Record<JobFilter, number>>;
  readonly search: string;
  readonly onFilter: (filter: JobFilter) => void;
  readonly onSearch: (search: string) => void;
  /** Saves every delivery's receipt as CSV. */
  readonly onExport: () => void;
}

export function FilterBar({ filter, counts, search, onFilter, onSearch, onExport }: FilterBarProps) {
  return (
    <div className="filter-bar">
      <div role="tablist" aria-label="Show" className="filters">
        {FILTERS.map((name) => (
          <button
            key={name}
            type="button"
            role="tab"
            aria-selected={filter === name}
            className={`filter${filter === name ? ' active' : ''}${name === 'attention' && counts.attention > 0 ? ' warn' : ''}`}
            onClick={() => {
              onFilter(name);
            }}
          >
            {FILTER_LABELS[name]} <span className="count">{counts[name].toLocaleString()}</span>
          </button>
        ))}
      </div>
      <div className="filter-tools">
        <input
          type="search"
          className="search"
          placeholder="Search by name"
          aria-label="Search by name"
          value={search}
          onChange={(event) => {
            onSearch(event.target.value);
          }}
        />
        <button
          type="button"
          onClick={onExport}
          title="Every delivery's receipt: name, size, sha256, remote id, when"
        >
          Export deliveries…
        </button>
      </div>
    </div>
  );
}
