import { defineConfig } from '@playwright/test';
import base from './playwright.config';

// Figures, not tests: run on demand with scripts/bench-frontend.sh. Same server set-up and
// browser as the end-to-end tests.
export default defineConfig({ ...base, testDir: './bench', testMatch: '**/*.bench.ts', timeout: 120_000, reporter: [['list']] });
