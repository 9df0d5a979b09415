// Errors that reach a client. Each carries an HTTP status, a stable code and a message a person can
// act on; anything else is logged and answered with a plain 500 (never a stack trace).
export interface FieldError {
  path: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: { fields?: FieldError[]; sources?: string[]; rule?: string } = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export function badRequest(message: string, fields?: FieldError[]): AppError {
  return new AppError(400, 'bad_request', message, { fields });
}

export function notFound(what: string): AppError {
  return new AppError(404, 'not_found', `${what} was not found`);
}

export function unauthorized(message = 'Sign in first'): AppError {
  return new AppError(401, 'unauthorized', message);
}

/** Refusals cite the rule and the POLICY-MAP ids behind it, so staff see why. */
export function forbidden(message: string, rule?: string, sources?: string[]): AppError {
  return new AppError(403, 'forbidden', message, { rule, sources });
}

export function conflict(message: string, fields?: FieldError[]): AppError {
  return new AppError(409, 'conflict', message, { fields });
}
