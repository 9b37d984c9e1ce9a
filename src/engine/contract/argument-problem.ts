import type { z } from 'zod';
import { keyPath, orderIssues } from '../schema/issue-order.js';

/**
 * The one problem a `bad-request` names: the first in the schema's order,
 * with the argument it is about quoted (`'folders[0].fields' must be an object
 * of strings`). A check of the arguments as a whole speaks for itself.
 */
export function argumentProblem(schema: z.ZodType, args: unknown): string | undefined {
  const result = schema.safeParse(args);
  if (result.success) return undefined;
  const [first] = orderIssues(schema, args, result.error.issues);
  if (first === undefined) return undefined;
  if (first.unknownKey) return `unknown argument '${keyPath(first.path)}'`;
  return first.path.length === 0 ? first.message : `'${keyPath(first.path)}' ${first.message}`;
}
