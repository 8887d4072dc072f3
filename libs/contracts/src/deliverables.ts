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

/** The display form of a deliverable, made once by the AI transformation and then stored. */
export interface DisplayContent {
  /** Sanitised HTML: no script, no event handler, only http(s)/mailto links. */
  html: string;
  /** One paragraph, plain text. */
  summary: string;
  /** The headings, in order. */
  outline: string[];
}

/** `ready`: displayContent is current. `pending`: not (yet) transformed; show `content`. */
export type DisplayStatus = 'ready' | 'pending';

export interface DisplayedDeliverable extends Deliverable {
  displayContent: DisplayContent | null;
  displayStatus: DisplayStatus;
}

/** What serving one list cost: stored results used, transformations run, AI calls avoided. */
export interface DisplayCacheSummary {
  cached: number;
  transformed: number;
  aiCallsSaved: number;
}

export interface DeliverableListResponse {
  items: DisplayedDeliverable[];
  nextCursor: string | null;
  displayCache: DisplayCacheSummary;
}
