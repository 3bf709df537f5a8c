import { UsageError } from './cli.errors';
import { resolveConnection } from './connection';

describe('connection', () => {
  it('takes the flags over the environment', () => {
    expect(resolveConnection({ url: 'http://a:1', token: 'fjt_flag' }, { FLEETJOBS_URL: 'http://b:2', FLEETJOBS_TOKEN: 'fjt_env' })).toEqual({ baseUrl: 'http://a:1', token: 'fjt_flag' });
  });

  it('takes the environment when no flag is given, and defaults to a local start without a token', () => {
    expect(resolveConnection({}, { FLEETJOBS_URL: 'https://fleet.example.com/', FLEETJOBS_TOKEN: ' fjt_env ' })).toEqual({ baseUrl: 'https://fleet.example.com', token: 'fjt_env' });
    expect(resolveConnection({}, {})).toEqual({ baseUrl: 'http://localhost:3000', token: null });
  });

  it('keeps a path prefix and drops trailing slashes', () => {
    expect(resolveConnection({ url: 'https://example.com/fleetjobs//' }, {}).baseUrl).toBe('https://example.com/fleetjobs');
  });

  it('refuses what is not an http URL, naming where it came from', () => {
    expect(() => resolveConnection({ url: 'localhost:3000' }, {})).toThrow(new UsageError('--url', '"localhost:3000" is not an http or https URL'));
    expect(() => resolveConnection({}, { FLEETJOBS_URL: 'nope' })).toThrow(new UsageError('FLEETJOBS_URL', '"nope" is not a URL (e.g. http://localhost:3000)'));
  });
});
