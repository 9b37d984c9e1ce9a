import { homedir } from 'node:os';
import { defaultConfigPath } from '../node/config-path.js';

/**
 * What a command's definition names about configs, apart from reading one: reading brings the
 * config schemas (zod), which `ferry --help` and `ferry token` have no use for.
 */

/** The target name a config made from `--endpoint` and `--profile` uses (and its keyring entry). */
export const QUICK_TARGET = 'default';

/** The config the desktop app edits, which `ferry` reads when given neither --config nor --endpoint. */
export function sharedConfigPath(): string {
  return defaultConfigPath({ platform: process.platform, env: process.env, homedir: homedir() });
}
