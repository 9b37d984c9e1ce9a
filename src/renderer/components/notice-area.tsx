export interface Notice {
  readonly id: number;
  readonly kind: 'info' | 'error';
  readonly text: string;
}

interface NoticeAreaProps {
  readonly notices: readonly Notice[];
  readonly onDismiss: (id: number) => void;
}

/** Outcomes of actions; errors stay until dismissed, so none is missed. */
export function NoticeArea({ notices, onDismiss }: NoticeAreaProps) {
  return (
    <div className="notices" aria-live="polite">
      {notices.map((notice) => (
        <div
          key={notice.id}
          className={`notice notice-${notice.kind}`}
          role={notice.kind === 'error' ? 'alert' : 'status'}
        >
          <span>{notice.text}</span>
          <button
            type="button"
            className="icon-button"
            aria-label="Dismiss"
            onClick={() => {
              onDismiss(notice.id);
            }}
          >
            ✕
          </button>
        </div>
      ))}
    </div>
  );
}
