import { ApiProblem, asApiProblem, FieldError } from '../api/api-problem';
import { placeFieldErrors } from '../api/field-errors';

export interface SubmitFailure {
  errors: Record<string, string[]>;
  problem: ApiProblem;
  unplaced: FieldError[];
}

/** Turns a failed save into errors beside the form's fields and a summary for the rest. */
export function submitFailure(error: unknown, fields: string[]): SubmitFailure {
  const problem = asApiProblem(error);
  const placed = placeFieldErrors(problem.errors, fields);
  return { errors: placed.byField, problem, unplaced: placed.unplaced };
}
