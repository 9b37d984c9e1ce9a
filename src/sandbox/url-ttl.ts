/**
 * The vendors' documented presigned-URL lifetime: one hour. On its own so that `ferry sandbox
 * --help` can say it without loading the sandbox.
 */
export const DEFAULT_URL_TTL_SECONDS = 3600;
