import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Regression tests emitted by test/counterexamples/regression.test.ts run in their own vitest.
    exclude: [...configDefaults.exclude, 'test/**/__generated__/**'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
