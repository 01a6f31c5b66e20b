/** The tfjs backends the engine can run on, in the order it tries them (fastest first). */
export const BACKEND_NAMES = ['webgpu', 'wasm', 'webgl', 'cpu'] as const;

export type BackendName = (typeof BACKEND_NAMES)[number];

export function isBackendName(value: unknown): value is BackendName {
  return BACKEND_NAMES.some((name) => name === value);
}
