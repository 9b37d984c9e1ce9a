import type { z } from 'zod';
import { BUILTIN_VARIABLES, templateVariables } from '../../shared/body-template.js';
import { isJsonObject, type JsonObject } from '../../shared/json-value.js';
import { parseRule } from '../../shared/naming.js';
import { fields as ruleFields } from '../../shared/naming-rule.js';
import { brokenAt } from '../schema/cross-checks.js';
import { bodyTemplate, PROTOCOLS } from '../protocols/registry.js';
import type { TargetConfig } from './target-schema.js';

/**
 * The checks across keys of the config. They run beside the problems zod
 * found inside it (see cross-checks.ts) and look only at the parts that parsed.
 */

type Ctx = z.core.$RefinementCtx;

const TARGET_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

const problem = (ctx: Ctx, path: PropertyKey[], message: string) => {
  ctx.addIssue({ code: 'custom', path, message });
};

/** A target's name is also its keyring account: a plain word. */
export function targetNameChecks(targets: unknown, ctx: Ctx): void {
  if (!isJsonObject(targets)) return;
  for (const name of Object.keys(targets)) {
    if (!TARGET_NAME.test(name))
      problem(
        ctx,
        [name],
        "a target name holds letters, digits, '.', '_' and '-', and starts with a letter or digit",
      );
  }
}

/** Variables a folder can fill for a body template: built-ins, its rule's fields, its own fields. */
function availableVariables(rule: string, fields: unknown): Set<string> {
  const own = isJsonObject(fields)
    ? Object.entries(fields).flatMap(([key, value]) => (typeof value === 'string' ? [key] : []))
    : [];
  const names = new Set<string>([...BUILTIN_VARIABLES, ...own]);
  for (const field of ruleFields(parseRule(rule))) names.add(field.name);
  return names;
}

/** A body template asking for what the folder cannot give would fail every delivery from it. */
function templateChecks(ctx: Ctx, index: number, folder: JsonObject, name: string, target: TargetConfig) {
  const body = bodyTemplate(target);
  if (body === undefined || typeof folder.rule !== 'string') return;
  const available = availableVariables(folder.rule, folder.fields);
  for (const variable of templateVariables(body)) {
    if (!available.has(variable))
      problem(
        ctx,
        ['folders', index],
        `target '${name}' uses {${variable}} in its request body, but neither this folder's rule nor its fields provide it`,
      );
  }
}

/** A field the vendor measures each file by must be a number Ferry can measure it by first. */
function sizeFieldCheck(ctx: Ctx, index: number, folder: JsonObject, name: string, target: TargetConfig) {
  const field = PROTOCOLS[target.profile].config.sizeLimitField;
  const value = field === undefined || !isJsonObject(folder.fields) ? undefined : folder.fields[field];
  if (field === undefined || typeof value !== 'string' || /^\d+$/.test(value.trim())) return;
  problem(
    ctx,
    ['folders', index, 'fields', field],
    `must be a whole number of bytes (target '${name}' refuses larger files)`,
  );
}

/** Each folder's target exists and its template can be filled; no folder is watched twice. */
function folderChecks(ctx: Ctx, folders: readonly unknown[], targets: JsonObject): void {
  const names = Object.keys(targets);
  const known = names.map((name) => `'${name}'`).join(', ') || 'none';
  const broken = (...path: PropertyKey[]) => brokenAt(ctx.issues, path);
  // The index each path was last seen at: the next folder of that path names it.
  const seen = new Map<string, number>();
  folders.forEach((folder, index) => {
    if (!isJsonObject(folder) || typeof folder.target !== 'string' || broken('folders', index, 'target'))
      return;
    const name = folder.target;
    if (!names.includes(name)) {
      problem(ctx, ['folders', index, 'target'], `no target named '${name}' (known: ${known})`);
      return;
    }
    const ruleParsed = !broken('folders', index, 'rule');
    // A target with no problem (an unknown key aside) has a known profile and, if any, a valid request.
    if (ruleParsed && !broken('targets', name))
      templateChecks(ctx, index, folder, name, targets[name] as TargetConfig);
    if (!broken('targets', name) && !broken('folders', index, 'fields'))
      sizeFieldCheck(ctx, index, folder, name, targets[name] as TargetConfig);
    const path = folder.path;
    if (
      typeof path !== 'string' ||
      !ruleParsed ||
      broken('folders', index, 'path') ||
      broken('folders', index, 'after')
    )
      return;
    const earlier = seen.get(path);
    if (earlier !== undefined)
      problem(ctx, ['folders', index, 'path'], `'${path}' is already watched by folders[${earlier}]`);
    seen.set(path, index);
  });
}

export function configChecks(config: unknown, ctx: Ctx): void {
  if (!isJsonObject(config)) return;
  if (config.limitRateSchedule !== undefined && config.limitRate === undefined)
    problem(ctx, ['limitRateSchedule'], 'needs limitRate: the rate to apply on schedule');
  if (Array.isArray(config.folders))
    folderChecks(ctx, config.folders, isJsonObject(config.targets) ? config.targets : {});
}
