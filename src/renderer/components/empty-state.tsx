interface EmptyStateProps {
  readonly title: string;
  readonly hint: string;
}

export function EmptyState({ title, hint }: EmptyStateProps) {
  return (
    <div className="empty" data-testid="empty-state">
      <p className="empty-title">{title}</p>
      <p className="muted">{hint}</p>
    </div>
  );
}
