/** How much data to seed; every count is per parent row. */
export interface SeedScale {
  workspaces: number;
  agentsPerWorkspace: number;
  settingsPerAgent: number;
  deliverablesPerWorkspace: number;
  processesPerWorkspace: number;
  stepsPerProcess: number;
  goalsPerWorkspace: number;
}

/** The demo workspace seeded on first start. */
export const DEMO_SCALE: Readonly<SeedScale> = Object.freeze({
  workspaces: 1,
  agentsPerWorkspace: 8,
  settingsPerAgent: 4,
  deliverablesPerWorkspace: 24,
  processesPerWorkspace: 12,
  stepsPerProcess: 15,
  goalsPerWorkspace: 4,
});

export const DEMO_WORKSPACE_NAME = 'Acme Research Lab';

export function validateScale(scale: SeedScale): void {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(scale) as [keyof SeedScale, number][]) {
    if (!Number.isSafeInteger(value) || value < 0)
      problems.push(`${key} must be a whole number >= 0 (got ${value})`);
  }
  if (scale.workspaces < 1) problems.push('workspaces must be at least 1');
  if (scale.agentsPerWorkspace === 0 && scale.processesPerWorkspace > 0) {
    problems.push('thinking processes belong to an agent: agentsPerWorkspace must be at least 1');
  }
  if (scale.stepsPerProcess > 1_000_000) problems.push('stepsPerProcess must be at most 1,000,000');
  if (problems.length > 0) throw new RangeError(`Invalid seed scale: ${problems.join('; ')}`);
}
