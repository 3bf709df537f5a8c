import { describe, expect, it, vi } from 'vitest';
import { readStoredToken } from './api-token.storage';
import { takeSignInLinkToken } from './sign-in-link';

describe('the one-time sign-in link', () => {
  it('keeps the token in sessionStorage and removes it from the address bar and its history entry', () => {
    window.history.replaceState(null, '', '/#/sign-in?token=fjt_abc123_s3cr3t');
    const replace = vi.spyOn(window.history, 'replaceState');
    expect(takeSignInLinkToken()).toBe(true);
    expect(readStoredToken()).toBe('fjt_abc123_s3cr3t');
    expect(window.location.hash).toBe('#/jobs');
    expect(window.location.href).not.toContain('fjt_');
    expect(replace).toHaveBeenCalledTimes(1);
  });

  it('opens the screen the link names with next', () => {
    window.history.replaceState(null, '', '/#/sign-in?token=fjt_a_b&next=%2Fjobs%2Fnew');
    takeSignInLinkToken();
    expect(window.location.hash).toBe('#/jobs/new');
  });

  it('never sends the browser to another site through next', () => {
    window.history.replaceState(null, '', '/#/sign-in?token=fjt_a_b&next=%2F%2Fevil.example');
    takeSignInLinkToken();
    expect(window.location.hash).toBe('#/jobs');
    expect(window.location.host).toBe('localhost:3000');
  });

  it('leaves every other address alone', () => {
    for (const address of ['/#/jobs', '/#/sign-in', '/#/sign-in?token=', '/?token=fjt_a_b#/jobs']) {
      window.history.replaceState(null, '', address);
      expect(takeSignInLinkToken()).toBe(false);
      expect(readStoredToken()).toBeUndefined();
    }
  });
});
