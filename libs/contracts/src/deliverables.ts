export interface Deliverable {
  id: string;
  workspaceId: string;
  agentId: string | null;
  title: string;
  /** Markdown, as written by the agent. */
  content: string;
  /** sha256 of `content`, hex. */
  contentHash: string;
  createdAt: string;
  updatedAt: string;
}

export interface CreateDeliverableRequest {
  title: string;
  content: string;
  agentId?: string | null;
}

export type UpdateDeliverableRequest = Partial<CreateDeliverableRequest>;
