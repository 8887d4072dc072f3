/** Phrase pools for workspaces. */

export const WORKSPACE_NAMES: readonly string[] = [
  'Acme Research Lab',
  'Northwind Analytics',
  'Globex Strategy Desk',
  'Initech Content Studio',
  'Umbrella Market Intelligence',
  'Stark Product Ops',
  'Wayne Risk Office',
  'Hooli Growth Team',
  'Soylent Support Center',
  'Cyberdyne Platform Team',
  'Wonka Brand Studio',
  'Tyrell Data Science',
];
export const WORKSPACE_DESCRIPTIONS: readonly string[] = [
  'Market and technology research for the product team, with weekly briefs and a reviewed knowledge base.',
  'Competitive analysis, pricing studies and quarterly forecasts for leadership.',
  'Content pipeline: research, drafting, editing and fact-checking before publication.',
  'Customer-facing analysis: support trends, churn signals and onboarding experiments.',
  'Data quality checks, pipeline reports and incident write-ups for the platform group.',
];
