/**
 * The one error catalogue: Fluxer's string codes with their HTTP statuses.
 * Services throw `AppError`s; the HTTP layer turns them into `{code, message, errors?}`.
 */

export interface FieldError {
  path: string;
  code: string;
  message: string;
}

const catalogue = {
  INVALID_FORM_BODY: [400, "Invalid form body"],
  BAD_REQUEST: [400, "Bad request"],
  CANNOT_SEND_EMPTY_MESSAGE: [400, "Cannot send an empty message"],
  CANNOT_SEND_MESSAGES_IN_NON_TEXT_CHANNEL: [400, "Cannot send messages in a non-text channel"],
  CANNOT_EDIT_OTHER_USER_MESSAGE: [403, "Cannot edit a message authored by another user"],
  SLOWMODE_RATE_LIMITED: [400, "You are sending messages too quickly in this channel"],
  MAX_GUILDS: [400, "Maximum number of guilds reached"],
  MAX_GUILD_CHANNELS: [400, "Maximum number of channels reached"],
  MAX_GUILD_ROLES: [400, "Maximum number of roles reached"],
  MAX_PINS_PER_CHANNEL: [400, "Maximum number of pins reached"],
  MAX_REACTIONS: [400, "Maximum number of reactions reached"],
  MAX_INVITES: [400, "Maximum number of invites reached"],
  MAX_APPLICATIONS: [400, "Maximum number of applications reached"],
  USERNAME_NOT_AVAILABLE: [400, "That username is not available"],
  INVALID_CHANNEL_TYPE: [400, "Invalid channel type"],
  INVALID_PERMISSIONS_INTEGER: [400, "Permissions must be a non-negative integer"],
  INVALID_SCOPE: [400, "Invalid scope"],
  INVALID_REQUEST: [400, "Invalid request"],
  BOT_ALREADY_IN_GUILD: [400, "The bot is already in this guild"],
  NOT_A_BOT_APPLICATION: [400, "This application has no bot"],
  CANNOT_TRANSFER_OWNERSHIP_TO_BOT: [400, "Ownership cannot be transferred to a bot"],
  CANNOT_EXECUTE_ON_DM: [400, "Cannot execute this action on a DM channel"],
  TAG_ALREADY_TAKEN: [400, "That tag is already taken"],
  MAX_GROUP_DM_RECIPIENTS: [400, "Maximum number of group DM recipients reached"],
  UNAUTHORIZED: [401, "Unauthorized"],
  INVALID_AUTH_TOKEN: [401, "Invalid authentication token"],
  MISSING_AUTHORIZATION: [401, "Missing authorization"],
  MISSING_PERMISSIONS: [403, "Missing permissions"],
  MISSING_ACCESS: [403, "Missing access"],
  ACCESS_DENIED: [403, "Access denied"],
  COMMUNICATION_DISABLED: [403, "You are timed out in this guild"],
  FEATURE_TEMPORARILY_DISABLED: [403, "This feature is not available on this instance yet"],
  BOTS_CANNOT_CREATE_GUILDS: [403, "Bots cannot create guilds"],
  BOT_USER_AUTH_ENDPOINT_ACCESS_DENIED: [403, "Bots cannot use this endpoint"],
  USER_BANNED_FROM_GUILD: [403, "You are banned from this guild"],
  CANNOT_SEND_MESSAGES_TO_USER: [403, "Cannot send messages to this user"],
  APPLICATION_NOT_OWNED: [403, "You do not own this application"],
  BOT_IS_PRIVATE: [403, "Only the owner of this bot can add it to a guild"],
  INVITES_DISABLED: [403, "Invites are disabled in this guild"],
  REGISTRATION_CLOSED: [403, "Registration is closed on this instance"],
  NOT_FOUND: [404, "Not found"],
  UNKNOWN_USER: [404, "Unknown user"],
  UNKNOWN_GUILD: [404, "Unknown guild"],
  UNKNOWN_CHANNEL: [404, "Unknown channel"],
  UNKNOWN_MESSAGE: [404, "Unknown message"],
  UNKNOWN_ROLE: [404, "Unknown role"],
  UNKNOWN_MEMBER: [404, "Unknown member"],
  UNKNOWN_INVITE: [404, "Unknown invite"],
  UNKNOWN_EMOJI: [404, "Unknown emoji"],
  UNKNOWN_APPLICATION: [404, "Unknown application"],
  METHOD_NOT_ALLOWED: [405, "Method not allowed"],
  CONFLICT: [409, "Conflict"],
  FILE_SIZE_TOO_LARGE: [413, "File is too large"],
  MESSAGE_TOTAL_ATTACHMENT_SIZE_TOO_LARGE: [413, "Attachments are too large in total"],
  RATE_LIMITED: [429, "You are being rate limited"],
  INTERNAL_SERVER_ERROR: [500, "Internal server error"],
  SERVICE_UNAVAILABLE: [503, "Service unavailable"],
} as const satisfies Record<string, readonly [number, string]>;

export type ErrorCode = keyof typeof catalogue;

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly errors?: FieldError[],
    readonly extra?: Record<string, unknown>,
  ) {
    super(message ?? catalogue[code][1]);
    this.status = catalogue[code][0];
  }

  toBody(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      ...(this.errors ? { errors: this.errors } : {}),
      ...this.extra,
    };
  }
}

export const fail = (code: ErrorCode, message?: string): never => {
  throw new AppError(code, message);
};

export const invalidForm = (errors: FieldError[]): AppError => new AppError("INVALID_FORM_BODY", "Invalid form body", errors);

/** A validation error on one field, thrown from services (e.g. a field that names an unknown role). */
export const fieldError = (path: string, message: string, code = "INVALID"): AppError => invalidForm([{ path, code, message }]);
