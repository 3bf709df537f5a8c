import { ApiProblem, FieldError } from '../api/api-problem';

interface ProblemAlertProps {
  problem: ApiProblem | undefined;
  /** Field errors no field of the form shows; they are listed here instead. */
  unplaced?: FieldError[];
  /** Set when the fields already show every error, so only the summary is needed. */
  summaryOnly?: boolean;
}

/** An API failure in words, with the fields it names that have no place of their own. */
export function ProblemAlert({ problem, unplaced, summaryOnly }: ProblemAlertProps) {
  if (!problem) return null;
  const listed = summaryOnly ? [] : (unplaced ?? problem.errors);
  return (
    <div className="alert alert--error" role="alert">
      <p className="alert__title">{problem.title}</p>
      {problem.detail ? <p>{problem.detail}</p> : null}
      {listed.length ? (
        <ul>
          {listed.map((e, i) => (
            <li key={i}>
              <code>{e.field}</code> {e.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
