import { assertNever } from '../shared/assert-never.js';
import { SINGLE_PUT_LIMIT } from '../shared/config.js';
import { isJsonObject, type JsonValue } from '../shared/json-value.js';
import { checkName, parseRule } from '../shared/naming.js';
import type { FolderConfig } from './config/folder-schema.js';
import { bodyTemplate } from './config/profile-config.js';
import type { TargetConfig } from './config/target-schema.js';
import { DeliveryError } from './delivery-error.js';
import { taskUrl, type FormSpec } from './form-profile.js';
import { MULTIPART_LIMIT } from './multipart-plan.js';
import type { MultipartSpec } from './multipart-profile.js';
import type { PresignedPutSpec } from './presigned-put-profile.js';
import { statusUrl } from './processing-status.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy.js';

export const DEFAULT_STALL_MS = 60_000;
/** How long a vendor may take to import a delivered file before the job gives up on it. */
export const DEFAULT_MAX_PROCESSING_MS = 6 * 60 * 60_000;

/**
 * How the bytes travel: a PUT to a presigned URL asked for first, one multipart-form POST,
 * or an S3 multipart upload of presigned parts.
 */
export type UploadProtocol =
  | { readonly kind: 'presigned-put'; readonly spec: PresignedPutSpec }
  | { readonly kind: 'form'; readonly spec: FormSpec }
  | { readonly kind: 's3-multipart'; readonly spec: MultipartSpec };

/** How a target is delivered to, once its config has been resolved for one folder. */
export interface TargetSpec {
  readonly name: string;
  readonly protocol: UploadProtocol;
  readonly maxBytes: number;
  readonly retry: RetryPolicy;
  readonly stallMs: number;
  /** Set for profiles whose vendor reports an import status after the upload. */
  readonly processing?: {
    readonly statusUrl: (remoteId: string) => string;
    readonly maxMs: number;
  };
}

/**
 * A folder's fields join the body as they are named: Lexer loads NDJSON automatically
 * only when the dataset id and record type ride along, and the form API takes its
 * description, size limit and schema flag as fields.
 */
function withFolderFields(target: TargetConfig, folder: Pick<FolderConfig, 'fields'>): JsonValue {
  const base = bodyTemplate(target) ?? {};
  return isJsonObject(base) ? { ...base, ...folder.fields } : base;
}

function presigned(target: TargetConfig, body: JsonValue, urlPath: string, idPath: string): UploadProtocol {
  return {
    kind: 'presigned-put',
    spec: { endpoint: target.endpoint, auth: target.auth.style, body, urlPath, idPath },
  };
}

function protocolOf(
  name: string,
  target: TargetConfig,
  folder: Pick<FolderConfig, 'fields'>,
): UploadProtocol {
  const urlPath = target.response?.url ?? 'url';
  const idPath = target.response?.id ?? 'id';
  switch (target.profile) {
    case 'lexer':
      return presigned(target, withFolderFields(target, folder), urlPath, idPath);
    case 'analytics':
      return presigned(target, bodyTemplate(target) ?? {}, urlPath, idPath);
    case 'presigned-put':
      if (target.request === undefined || target.response === undefined) {
        throw new DeliveryError(
          'config',
          `target '${name}': the presigned-put profile needs request and response`,
        );
      }
      return presigned(target, target.request.body, urlPath, idPath);
    case 'form':
      return {
        kind: 'form',
        spec: {
          endpoint: target.endpoint,
          auth: target.auth.style,
          fields: withFolderFields(target, folder),
          idPath: target.response?.id ?? 'task_id',
        },
      };
    case 's3-multipart':
      return {
        kind: 's3-multipart',
        spec: { endpoint: target.endpoint, auth: target.auth.style, body: bodyTemplate(target) ?? {} },
      };
    default:
      return assertNever(target.profile);
  }
}

function processingOf(target: TargetConfig): TargetSpec['processing'] {
  switch (target.profile) {
    case 'analytics':
      return { statusUrl: (id) => statusUrl(target.endpoint, id), maxMs: DEFAULT_MAX_PROCESSING_MS };
    case 'form':
      return { statusUrl: (id) => taskUrl(target.endpoint, id), maxMs: DEFAULT_MAX_PROCESSING_MS };
    case 'lexer':
    case 'presigned-put':
    case 's3-multipart':
      return undefined;
    default:
      return assertNever(target.profile);
  }
}

/** Resolves a configured target for the files of one folder. */
export function targetSpec(
  name: string,
  target: TargetConfig,
  folder: Pick<FolderConfig, 'fields'>,
): TargetSpec {
  const retry = target.retry;
  const processing = processingOf(target);
  const limit = target.profile === 's3-multipart' ? MULTIPART_LIMIT : SINGLE_PUT_LIMIT;
  return {
    name,
    protocol: protocolOf(name, target, folder),
    maxBytes: Math.min(target.maxBytes ?? limit, limit),
    retry: {
      ...DEFAULT_RETRY_POLICY,
      ...(retry?.attempts === undefined ? {} : { maxAttempts: retry.attempts }),
      ...(retry?.elapsedSeconds === undefined ? {} : { maxElapsedMs: retry.elapsedSeconds * 1_000 }),
    },
    stallMs: retry?.stallSeconds === undefined ? DEFAULT_STALL_MS : retry.stallSeconds * 1_000,
    ...(processing === undefined ? {} : { processing }),
  };
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
