export interface HealthCheck {
  status: 'up' | 'down';
  latencyMs?: number;
  error?: string;
}

export interface HealthResponse {
  status: 'ok' | 'error';
  uptimeSeconds: number;
  checks: Record<string, HealthCheck>;
}
