import { cleanup } from '@testing-library/react';
import { afterEach, beforeEach, vi } from 'vitest';
import { setSession } from '../auth/session.store';
import { signInAs } from './session';

// Screens are tested as an administrator sees them unless a test signs in with another role.
beforeEach(() => signInAs('administrator'));

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  window.location.hash = '';
  window.sessionStorage.clear();
  setSession({ status: 'starting' });
});
