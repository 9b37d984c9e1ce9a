import { destination, pino, type DestinationStream, type LevelWithSilent } from 'pino';
import type { Logger } from '../engine/ports.js';
import { redact } from '../shared/redact.js';

export interface LoggerOptions {
  readonly level?: LevelWithSilent;
  /** Where lines go; stderr by default so stdout stays for a command's output. */
  readonly destination?: DestinationStream;
  /** Secrets known at run time (the tokens in use), removed literally from every line. */
  readonly secrets?: () => readonly string[];
}

/**
 * The one logging sink. Redaction runs on the finished JSON line, after pino has
 * serialized everything (errors, nested objects, messages): nothing reaches the
 * destination without passing through `redact`.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const secrets = options.secrets ?? (() => []);
  const log = pino(
    {
      level: options.level ?? 'info',
      base: null,
      hooks: { streamWrite: (line) => redact(line, secrets()) },
    },
    options.destination ?? destination(2),
  );
  return {
    debug: (fields, message) => {
      log.debug(fields, message);
    },
    info: (fields, message) => {
      log.info(fields, message);
    },
    warn: (fields, message) => {
      log.warn(fields, message);
    },
    error: (fields, message) => {
      log.error(fields, message);
    },
  };
}
