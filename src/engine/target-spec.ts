import type { FolderConfig } from './config/folder-schema.js';
import type { TargetConfig } from './config/target-schema.js';
import { checkName, parseRule } from '../shared/naming.js';
import type { BoundProtocol, Protocol } from './protocols/protocol.js';
import { PROTOCOLS } from './protocols/registry.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy.js';
import { sizeLimitOf, type SizeLimitOrigin } from './size-limit.js';

export const DEFAULT_STALL_MS = 60_000;
/** How long a vendor may take to import a delivered file before the job gives up on it. */
export const DEFAULT_MAX_PROCESSING_MS = 6 * 60 * 60_000;

/** How a target is delivered to, once its config has been resolved for one folder. */
export interface TargetSpec {
  readonly name: string;
  readonly protocol: BoundProtocol;
  readonly maxBytes: number;
  /** What sets `maxBytes`, so a refused file is told what to do instead. */
  readonly limitedBy?: SizeLimitOrigin;
  readonly retry: RetryPolicy;
  readonly stallMs: number;
  /** How long the vendor may take to import a delivered file, for profiles whose vendor reports it. */
  readonly processingMs?: number;
}

/** The largest file a target takes: its `maxBytes`, within what its protocol can carry. */
export function targetMaxBytes(
  protocol: Pick<Protocol, 'maxBytes'>,
  target: Pick<TargetConfig, 'maxBytes'>,
): number {
  return Math.min(target.maxBytes ?? protocol.maxBytes, protocol.maxBytes);
}

/** The size limit of a configured target, through its profile's protocol. */
export function uploadLimit(target: Pick<TargetConfig, 'profile' | 'maxBytes'>): number {
  return targetMaxBytes(PROTOCOLS[target.profile], target);
}

/** Resolves a target's settings through a protocol, for the files of one folder. */
export function targetSpecOf(
  protocol: Protocol,
  name: string,
  target: Omit<TargetConfig, 'profile'>,
  folder: Pick<FolderConfig, 'fields'>,
): TargetSpec {
  const { retry } = target;
  const bound = protocol.bind(name, target, folder.fields);
  return {
    name,
    protocol: bound,
    ...sizeLimitOf(protocol, target.maxBytes, folder.fields),
    retry: {
      ...DEFAULT_RETRY_POLICY,
      ...(retry?.attempts === undefined ? {} : { maxAttempts: retry.attempts }),
      ...(retry?.elapsedSeconds === undefined ? {} : { maxElapsedMs: retry.elapsedSeconds * 1_000 }),
    },
    stallMs: retry?.stallSeconds === undefined ? DEFAULT_STALL_MS : retry.stallSeconds * 1_000,
    ...(bound.statusRequest === undefined ? {} : { processingMs: DEFAULT_MAX_PROCESSING_MS }),
  };
}

/** Resolves a configured target, through its profile's protocol, for the files of one folder. */
export function targetSpec(
  name: string,
  target: TargetConfig,
  folder: Pick<FolderConfig, 'fields'>,
): TargetSpec {
  return targetSpecOf(PROTOCOLS[target.profile], name, target, folder);
}

/**
 * The template variables of one file: its name, extension and type, the parts its
 * folder's naming rule finds in it, and the folder's fields. A name the rule rejects
 * still has `filename`, `ext` and `type`, so a template that needs nothing more can deliver it.
 */
export function fileVariables(
  name: string,
  folder: Pick<FolderConfig, 'rule' | 'fields'>,
): Readonly<Record<string, string>> {
  const verdict = checkName(name, parseRule(folder.rule));
  const parts = verdict.status === 'valid' ? verdict.parts : {};
  const ext = parts.ext ?? /\.([^.]+(?:\.gz)?)$/.exec(name)?.[1] ?? '';
  return { ...parts, ...folder.fields, filename: name, ext, type: ext.replace(/\.gz$/, '') };
}
