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

/**
 * `ready`: displayContent is current. `pending`: not (yet) transformed for the current
 * content; show `fallbackHtml` (or `content`) until a `deliverable.updated` push (or the
 * next read) brings it.
 */
export type DisplayStatus = 'ready' | 'pending';

export interface DisplayedDeliverable extends Deliverable {
  displayContent: DisplayContent | null;
  displayStatus: DisplayStatus;
  /**
   * While `pending`: the markdown rendered locally to sanitised HTML (no AI), safe to show
   * meanwhile; null when `ready`.
   */
  fallbackHtml: string | null;
}

/** What serving one list cost: stored results used, transformations run, AI calls avoided. */
export interface DisplayCacheSummary {
  cached: number;
  /** Transformed while the request waited (0 with the display queue: reads never wait). */
  transformed: number;
  /** Served `pending` (with the fallback): transformed behind the read, or failed. */
  pending: number;
  aiCallsSaved: number;
}

export interface DeliverableListResponse {
  items: DisplayedDeliverable[];
  nextCursor: string | null;
  displayCache: DisplayCacheSummary;
}
