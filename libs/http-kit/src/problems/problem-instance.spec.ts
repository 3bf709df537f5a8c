import { problemInstance } from './problem-instance';

describe('problemInstance', () => {
  it('is the path of a request without a query', () => {
    expect(problemInstance('/api/jobs/j-1')).toBe('/api/jobs/j-1');
  });

  it('drops the query string', () => {
    expect(problemInstance('/api/jobs?status=done&limit=5')).toBe('/api/jobs');
  });

  it('drops a fragment and an empty query', () => {
    expect(problemInstance('/api/devices?')).toBe('/api/devices');
    expect(problemInstance('/api/devices#top')).toBe('/api/devices');
  });

  it('keeps the path as sent, percent-encoding included', () => {
    expect(problemInstance('/api/devices/a%20b?x=1')).toBe('/api/devices/a%20b');
  });

  it('is the root for an empty or missing url', () => {
    expect(problemInstance('')).toBe('/');
    expect(problemInstance(undefined)).toBe('/');
    expect(problemInstance('?q=1')).toBe('/');
  });
});
