import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  test: {
    environment: 'jsdom',
    include: ['src/**/*.spec.{ts,tsx}'],
    setupFiles: ['./src/testing/vitest.setup.ts'],
    // A guard against a test that hangs, not a time budget: nothing here waits on the clock, and a
    // form filled keystroke by keystroke is CPU work that the suite's other lanes, on two cores,
    // can stretch from under a second to beyond vitest's default of 5 s.
    testTimeout: 30_000,
  },
});
