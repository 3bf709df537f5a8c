import type { Request, Response } from 'express';
import { isCrossSiteWrite, securityHeaders } from './public-edge';

function contentSecurityPolicy(handler: ReturnType<typeof securityHeaders>): string {
  const headers = new Map<string, string>();
  const response = { setHeader: (name: string, value: string) => headers.set(name.toLowerCase(), value), removeHeader: () => undefined };
  handler({ headers: {} } as Request, response as unknown as Response, () => undefined);
  return headers.get('content-security-policy') ?? '';
}

const directive = (policy: string, name: string) => policy.split(';').find((d) => d.startsWith(`${name} `));

describe('securityHeaders', () => {
  it('given no OpenID provider, when a page loads, then it may connect to its own origin only', () => {
    expect(directive(contentSecurityPolicy(securityHeaders()), 'connect-src')).toBe("connect-src 'self'");
  });

  it('given the OpenID provider the dashboard signs in with, when a page loads, then it may connect to that origin too', () => {
    const policy = contentSecurityPolicy(securityHeaders({ connectTo: ['https://login.example/realms/fleet', 'not a url'] }));
    expect(directive(policy, 'connect-src')).toBe("connect-src 'self' https://login.example");
    expect(directive(policy, 'frame-ancestors')).toBe("frame-ancestors 'none'");
  });
});

describe('isCrossSiteWrite', () => {
  const host = 'localhost:3000';

  it('given a form of another site posting, when checked, then it is cross-site by its Origin', () => {
    expect(isCrossSiteWrite('POST', { host, origin: 'https://evil.example' })).toBe(true);
  });

  it('given the browser says cross-site, when checked, then it is cross-site whatever the Origin', () => {
    expect(isCrossSiteWrite('DELETE', { host, 'sec-fetch-site': 'cross-site' })).toBe(true);
  });

  it('given an opaque origin (a sandboxed page, a file), when a write is checked, then it is cross-site', () => {
    expect(isCrossSiteWrite('PUT', { host, origin: 'null' })).toBe(true);
  });

  it('given the dashboard of this origin, when it writes, then it passes', () => {
    expect(isCrossSiteWrite('POST', { host, origin: 'http://localhost:3000', 'sec-fetch-site': 'same-origin' })).toBe(false);
  });

  it('given a proxy that forwards the public host, when the page of that host writes, then it passes', () => {
    expect(isCrossSiteWrite('PATCH', { host: '127.0.0.1:3903', 'x-forwarded-host': 'fleet.example', origin: 'https://fleet.example' })).toBe(false);
  });

  it('given a script or service without Origin, when it writes, then it passes', () => {
    expect(isCrossSiteWrite('POST', { host })).toBe(false);
  });

  it('given a read from another site, when checked, then it is not a write', () => {
    expect(isCrossSiteWrite('GET', { host, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' })).toBe(false);
  });

  it('given an Origin that is not a URL, when a write is checked, then it is refused as cross-site', () => {
    expect(isCrossSiteWrite('POST', { host, origin: 'not a url' })).toBe(true);
  });
});
