import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // CLI tests spawn processes and git; two cores are all there is.
    maxWorkers: 2,
  },
});
