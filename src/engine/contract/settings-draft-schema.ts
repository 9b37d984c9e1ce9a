import { z } from 'zod';
import type { SettingsDraft } from '../../shared/settings-draft.js';
import { isString, wholeList, wholeMap } from '../schema/whole-values.js';
import { argumentProblem } from './argument-problem.js';

/**
 * The shape of what the window sends on "Save" (`settings.update`): the types
 * only. What the values mean (a known profile, an https endpoint, a rule that
 * parses) is the config schema's to say, with the key path of the config
 * file, once the draft is merged into it. The types stay in src/shared, which
 * the window imports; the schema is held to them.
 */

const text = z.string({ error: 'must be a string' });
const texts = wholeList(isString, 'must be a list of strings');
const object = <S extends z.core.$ZodLooseShape>(shape: S) =>
  z.strictObject(shape, { error: 'must be an object' });

/** An expected file as the window sends it; what its values mean is the config schema's to say. */
const expectationDraft = object({
  descriptor: text,
  every: text,
  on: z
    .union([text, z.number({ error: 'must be a number' })], { error: 'must be a day name or number' })
    .exactOptional(),
  by: text,
  timezone: text.exactOptional(),
  date: z
    .enum(['delivery-day', 'previous-day'], { error: "must be 'delivery-day' or 'previous-day'" })
    .exactOptional(),
});

const folderDraft = object({
  path: text,
  target: text,
  rule: text,
  fields: wholeMap(isString, 'must be an object of strings'),
  after: text,
  ignore: texts,
  expect: z.array(expectationDraft, { error: 'must be a list' }).exactOptional(),
  /** The path the settings screen showed for this folder; absent for a folder added there. */
  original: text.exactOptional(),
});

const targetDraft = object({ name: text, profile: text, endpoint: text });

export const settingsDraftSchema = z
  .strictObject({
    concurrency: z.number({ error: 'must be a number' }),
    notifications: text,
    startAtLogin: z.boolean({ error: 'must be true or false' }),
    folders: z.array(folderDraft, { error: 'must be a list' }),
    targets: z.array(targetDraft, { error: 'must be a list' }),
  })
  // Two targets of one name would silently become one in the file. Checked once the rest is right.
  .superRefine((draft, ctx) => {
    const names = new Set<string>();
    for (const { name } of draft.targets) {
      if (names.has(name)) ctx.addIssue(`two targets are named '${name}'`);
      names.add(name);
    }
  }) satisfies z.ZodType<SettingsDraft>;

/** Why untrusted arguments are not a draft, or undefined when they are. */
export function draftProblem(value: unknown): string | undefined {
  return argumentProblem(settingsDraftSchema, value);
}
