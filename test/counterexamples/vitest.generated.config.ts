// The vitest run of the regression tests that regression.test.ts emits (the main run excludes them).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/counterexamples/__generated__/*.test.ts'],
    pool: 'forks',
  },
});
