/**
 * The modes of what Ferry writes in its state dir: its owner's alone. Given explicitly, and set
 * again on files an older Ferry made, since the umask (022, or 000 on some systems) would
 * otherwise leave them readable, or writable, by every local user.
 */
export const PRIVATE_FILE = 0o600;
export const PRIVATE_FOLDER = 0o700;
