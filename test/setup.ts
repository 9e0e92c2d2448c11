// Run before each test file (vitest.config.mts setupFiles): what the tests leave in the
// temporary folder goes with their file.
import { afterAll } from 'vitest';
import { removeTempDirs } from './helpers';

afterAll(removeTempDirs);
