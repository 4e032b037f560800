import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'shared/**/*.test.ts',
      'main/**/*.test.ts',
      'renderer/src/**/*.test.ts',
      'bench/**/*.test.ts',
      'e2e/**/*.test.ts',
    ],
    // Compiling the large templates allocates hundreds of MB of weights on the CPU backend.
    testTimeout: 120_000,
    pool: 'forks',
  },
});
