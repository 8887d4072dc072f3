/**
 * The agents a form may pick from, handed down by the page (features don't load each
 * other's data): the workspace page builds them from the dashboard it already has.
 */
export interface AgentOption {
  id: string;
  name: string;
  /** Terminated agents can't start thinking; they stay listed for existing records. */
  terminated: boolean;
}
