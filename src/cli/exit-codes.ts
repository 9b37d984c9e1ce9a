/** Exit codes shared by every `ferry` command. */
export const EXIT_OK = 0;
/** Some file was rejected or failed. */
export const EXIT_FAILED = 1;
/** The command line or the configuration is wrong; nothing was done. */
export const EXIT_USAGE = 2;

/** A mistake in how Ferry was invoked, reported on stderr with exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
