import { defineConfig } from 'vitest/config';

// CI asks for a machine-readable summary too (DESK_TEST_REPORT=path/to/results.json).
const report = process.env.DESK_TEST_REPORT;

export default defineConfig({
  test: {
    reporters: report ? ['default', 'json'] : ['default'],
    ...(report ? { outputFile: { json: report } } : {}),
    projects: [
      {
        test: {
          name: 'unit',
          root: '..',
          include: ['shared/src/**/*.test.ts', 'server/src/**/*.test.ts', 'sandboxes/src/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'api',
          include: ['api/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
