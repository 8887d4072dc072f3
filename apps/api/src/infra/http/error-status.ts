import { ErrorCode } from '@orch/contracts';

/** The one table from domain error codes to HTTP statuses (exhaustive: a new code must be placed). */
export const CODE_STATUS: Record<ErrorCode, number> = {
  [ErrorCode.ValidationFailed]: 400,
  [ErrorCode.InvalidCursor]: 400,
  [ErrorCode.Unauthenticated]: 401,
  [ErrorCode.InvalidCredentials]: 401,
  [ErrorCode.OwnerRequired]: 403,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.WorkspaceNotFound]: 404,
  [ErrorCode.UserNotFound]: 404,
  [ErrorCode.AgentNotFound]: 404,
  [ErrorCode.DeliverableNotFound]: 404,
  [ErrorCode.ThinkingProcessNotFound]: 404,
  [ErrorCode.GoalNotFound]: 404,
  [ErrorCode.EmailTaken]: 409,
  [ErrorCode.AlreadyMember]: 409,
  [ErrorCode.AgentTerminated]: 409,
  [ErrorCode.ThinkingProcessClosed]: 409,
  [ErrorCode.Conflict]: 409,
  [ErrorCode.RateLimited]: 429,
  [ErrorCode.QuotaExhausted]: 429,
  [ErrorCode.TransformFailed]: 502,
  [ErrorCode.ServiceUnavailable]: 503,
  [ErrorCode.Internal]: 500,
};
