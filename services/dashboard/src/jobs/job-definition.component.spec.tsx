import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { aJob } from '../testing/fixtures';
import { JobDefinition } from './job-definition.component';

const text = (testId: string) => screen.queryByTestId(testId)?.textContent ?? null;

describe('job definition', () => {
  it('names who created a running job, and no one as having stopped it', () => {
    render(<JobDefinition job={aJob({ createdBy: { id: 'user:ada', name: 'Ada Operator' }, stoppedBy: null })} />);
    expect(text('job-created-by')).toBe('Ada Operator user:ada');
    expect(text('job-stopped-by')).toBeNull();
  });

  it('names who stopped a stopped job', () => {
    render(
      <JobDefinition
        job={aJob({ status: 'stopped', createdBy: { id: 'user:ada', name: 'Ada Operator' }, stoppedBy: { id: 'token:ci', name: 'ci' } })}
      />,
    );
    expect(text('job-stopped-by')).toBe('ci token:ci');
  });

  it('says when the job names no one (created or stopped before sign-in existed)', () => {
    render(<JobDefinition job={aJob({ status: 'stopped', createdBy: null, stoppedBy: null })} />);
    expect(text('job-created-by')).toBe('Not recorded');
    expect(text('job-stopped-by')).toBe('Not recorded');
  });
});
