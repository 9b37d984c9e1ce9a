import { dirname, resolve } from 'node:path';
import type { FerryConfig } from '../engine/config/config-schema.js';
import type { FolderConfig } from '../engine/config/folder-schema.js';
import { DEFAULT_TEMPLATE } from '../shared/naming.js';

/** Where one file goes and under which folder's rule and fields. */
export interface PlannedUpload {
  readonly path: string;
  readonly target: string;
  readonly folder: Pick<FolderConfig, 'rule' | 'fields'> & Partial<Pick<FolderConfig, 'loading'>>;
}

export class PlanError extends Error {
  override readonly name = 'PlanError';
}

/**
 * Matches a file to the configured folder it sits directly in (folder paths are relative
 * to the config file). `--target` picks the target itself; the folder's rule and fields
 * still apply when the file is in one, with the `--field` values over them.
 */
export function planUpload(
  config: FerryConfig,
  configPath: string,
  file: string,
  targetFlag: string | undefined,
  fieldFlags: Readonly<Record<string, string>> = {},
): PlannedUpload {
  const base = dirname(resolve(configPath));
  const parent = dirname(resolve(file));
  const folder = config.folders.find((f) => resolve(base, f.path) === parent);
  if (targetFlag !== undefined && config.targets[targetFlag] === undefined) {
    const known = Object.keys(config.targets).join(', ') || 'none';
    throw new PlanError(`no target named '${targetFlag}' in ${configPath} (known: ${known})`);
  }
  const target = targetFlag ?? folder?.target;
  if (target === undefined) {
    throw new PlanError(`${file} is in no folder of ${configPath}: name a target with --target`);
  }
  return {
    path: file,
    target,
    folder:
      folder === undefined
        ? { rule: DEFAULT_TEMPLATE, fields: { ...fieldFlags } }
        : {
            rule: folder.rule,
            fields: { ...folder.fields, ...fieldFlags },
            ...(folder.loading === undefined ? {} : { loading: folder.loading }),
          },
  };
}
