import { Condition, fixedTemplate } from './condition';
import { validateConditions } from './condition.validator';

/**
 * Why a stored set can no longer be evaluated, or `null` when it can. Evaluated when asked:
 * the template its `template eq` condition names is gone, or a stored condition no longer
 * type-checks under the current rules. Tag conditions never break a set: any device may
 * lack a tag.
 */
export function brokenReason(conditions: readonly Condition[], templateExists: boolean): string | null {
  const [invalid] = validateConditions(conditions);
  if (invalid) return `condition ${invalid.field} ${invalid.message}`;
  const template = fixedTemplate(conditions);
  if (template !== null && !templateExists) return `template "${template}" no longer exists`;
  return null;
}
