/** The service worker's cache for the shipped models other than the default (vite.config.ts). */
declare const __MODELS_CACHE__: string;
