/** Opened without the access token: only the address `ferry watch --ui` printed carries it. */
export function MissingAccess() {
  return (
    <div className="empty" role="alert">
      <p className="empty-title">No access token</p>
      <p>
        Open the address that <code>ferry watch --ui</code> printed: it ends in <code>#token=…</code>.
      </p>
    </div>
  );
}
