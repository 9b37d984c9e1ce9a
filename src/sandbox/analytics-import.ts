import { checkImport, isImportType } from './import-check.js';
import type { SandboxContext } from './sandbox-context.js';

/**
 * Moves an analytics file to `Processing` and, after the processing delay, imports it:
 * `Completed` with statistics or `Failed` with the reason. Runs again for every PUT, as a
 * re-upload replaces the object.
 */
export function startAnalyticsImport(ctx: SandboxContext, id: string): void {
  const record = ctx.state.state.analytics.find((a) => a.id === id);
  if (record === undefined) return;
  record.status = 'Processing';
  delete record.statistics;
  delete record.error;
  record.updatedAt = new Date().toISOString();
  ctx.background.later(
    ctx.processingDelayMs,
    async () => {
      const type = record.file.type;
      const body = await ctx.objects.get(record.key);
      const outcome =
        body === undefined
          ? { ok: false as const, error: 'the uploaded object is missing' }
          : isImportType(type)
            ? await checkImport(body, type, record.file.name.endsWith('.gz'))
            : { ok: false as const, error: `unsupported file type "${type}"` };
      if (outcome.ok) {
        record.status = 'Completed';
        record.statistics = outcome.statistics;
      } else {
        record.status = 'Failed';
        record.error = outcome.error;
      }
      record.updatedAt = new Date().toISOString();
      await ctx.state.save();
    },
    (error) => {
      record.status = 'Failed';
      record.error = `import failed: ${(error as Error).message}`;
      ctx.log(`analytics import ${id} failed: ${(error as Error).message}`);
    },
  );
}
