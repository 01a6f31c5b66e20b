import type { DataDeps } from '../../src/ui/data-state.svelte';

/** For Data stage tests that convert no Hugging Face model: any conversion is a test bug. */
export const noConverter: DataDeps['converter'] = {
  importHf: () => Promise.reject(new Error('this test converts no model')),
  exportHf: () => Promise.reject(new Error('this test converts no model')),
};
