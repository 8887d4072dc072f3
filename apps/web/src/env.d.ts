/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Base URL of the API, default `/api` (same origin; the dev server proxies it). */
  readonly VITE_API_BASE_URL?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
