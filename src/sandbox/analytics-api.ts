import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { IMPORT_TYPES, isImportType } from './import-check.js';
import { readJsonObject, sendApiError, sendJson } from './json-http.js';
import type { AnalyticsFile } from './sandbox-state.js';
import type { SandboxContext } from './sandbox-context.js';

/** A plain file name: no path separators, no control characters. */
function isPlainName(name: string): boolean {
  return name.length > 0 && name.length <= 255 && !/[/\\\p{Cc}]/u.test(name);
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(record: AnalyticsFile): Readonly<Record<string, unknown>> {
  return {
    id: record.id,
    status: record.status,
    datasetType: record.datasetType,
    file: record.file,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    ...(record.statistics === undefined ? {} : { statistics: record.statistics }),
    ...(record.error === undefined ? {} : { error: record.error }),
  };
}

/** `POST /analytics/files/upload` `{"datasetType", "file": {"name", "type"}}` (seed 004). */
export async function createAnalyticsUpload(
  ctx: SandboxContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const body = await readJsonObject(req);
  if (!body.ok) {
    sendApiError(res, body.status, body.message);
    return;
  }
  const { datasetType, file } = body.value;
  if (typeof datasetType !== 'string' || datasetType === '') {
    sendApiError(res, 400, 'datasetType is required and must be a non-empty string');
    return;
  }
  if (!isRecord(file) || typeof file.name !== 'string' || !isPlainName(file.name)) {
    sendApiError(res, 400, 'file.name is required and must be a plain file name');
    return;
  }
  if (!isImportType(file.type)) {
    sendApiError(res, 400, `file.type must be one of ${IMPORT_TYPES.join(', ')}`);
    return;
  }
  const id = randomUUID();
  const key = `analytics/${id}/${file.name}`;
  const now = new Date().toISOString();
  ctx.state.state.analytics.push({
    id,
    key,
    datasetType,
    file: { name: file.name, type: file.type },
    createdAt: now,
    status: 'Pending',
    updatedAt: now,
  });
  ctx.state.state.targets.push({
    key,
    filename: file.name,
    api: 'analytics',
    id,
    fields: { datasetType },
    createdAt: now,
  });
  const url = await ctx.presigner.put(key);
  await ctx.state.save();
  const expiresAt = new Date(Date.now() + ctx.presigner.expiresInSeconds * 1000).toISOString();
  sendJson(res, 200, { id, url, expiresIn: ctx.presigner.expiresInSeconds, expiresAt });
}

/** `GET /analytics/files/{id}`: Pending → Processing → Completed | Failed, with statistics. */
export function getAnalyticsFile(ctx: SandboxContext, res: ServerResponse, id: string): void {
  const record = ctx.state.state.analytics.find((a) => a.id === id);
  if (record === undefined) {
    sendApiError(res, 404, `no file with id ${id}`);
    return;
  }
  sendJson(res, 200, describe(record));
}
