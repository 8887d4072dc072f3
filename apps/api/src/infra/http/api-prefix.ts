/** Every REST route lives under /api (the web app and /metrics do not). */
export const API_PREFIX = 'api';
