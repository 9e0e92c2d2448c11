// The suite runs on shared 2-core machines: property tests and end-to-end tests get a budget
// that holds when the machine is loaded (they take a few seconds alone).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { testTimeout: 30_000, hookTimeout: 30_000, setupFiles: ['test/setup.ts'] },
});
