/** Every error the API answers with has this body. */
export interface ErrorResponse {
  statusCode: number;
  /** The HTTP reason phrase, e.g. "Bad Request". */
  error: string;
  /** One human-readable sentence. */
  message: string;
  /** A stable machine-readable code, e.g. `AGENT_TERMINATED`. */
  code?: ErrorCode;
  /** For validation errors: one entry per bad field. */
  details?: FieldError[];
}

export interface FieldError {
  /** Dotted path of the field, e.g. `settings.temperature`. */
  field: string;
  messages: string[];
}

export const ErrorCode = {
  ValidationFailed: 'VALIDATION_FAILED',
  Unauthenticated: 'UNAUTHENTICATED',
  InvalidCredentials: 'INVALID_CREDENTIALS',
  EmailTaken: 'EMAIL_TAKEN',
  NotFound: 'NOT_FOUND',
  WorkspaceNotFound: 'WORKSPACE_NOT_FOUND',
  OwnerRequired: 'OWNER_REQUIRED',
  AlreadyMember: 'ALREADY_MEMBER',
  UserNotFound: 'USER_NOT_FOUND',
  AgentNotFound: 'AGENT_NOT_FOUND',
  AgentTerminated: 'AGENT_TERMINATED',
  DeliverableNotFound: 'DELIVERABLE_NOT_FOUND',
  ThinkingProcessNotFound: 'THINKING_PROCESS_NOT_FOUND',
  ThinkingProcessClosed: 'THINKING_PROCESS_CLOSED',
  GoalNotFound: 'GOAL_NOT_FOUND',
  InvalidCursor: 'INVALID_CURSOR',
  Conflict: 'CONFLICT',
  RateLimited: 'RATE_LIMITED',
  TransformFailed: 'TRANSFORM_FAILED',
  QuotaExhausted: 'QUOTA_EXHAUSTED',
  /** A dependency the request needs (the database) is unreachable: retry after `Retry-After`. */
  ServiceUnavailable: 'SERVICE_UNAVAILABLE',
  Internal: 'INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
