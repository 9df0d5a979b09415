// The one way the web app talks to the API: JSON in and out, the session cookie sent along, and the
// CSRF token added to every unsafe request. Failures become ApiError with the server's message,
// per-field messages and the policy ids behind a refusal.
import type { ApiErrorBody, FieldError } from './types.js';

let csrfToken: string | null = null;
let onUnauthorized: (() => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when an API call answers 401 after sign-in (session expired or ended elsewhere). */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  onUnauthorized = handler;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: FieldError[];
  readonly sources: string[];
  readonly rule?: string;

  constructor(status: number, body: Partial<ApiErrorBody>) {
    super(body.message ?? `The server answered ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = body.error ?? 'error';
    this.fields = body.fields ?? [];
    this.sources = body.sources ?? [];
    this.rule = body.rule;
  }

  /** Per-field messages keyed by the field's name (`body.email` → `email`). */
  fieldMessages(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const f of this.fields) {
      const key = fieldKey(f.path);
      if (!(key in out)) out[key] = f.message;
    }
    return out;
  }
}

export function fieldKey(path: string): string {
  return path.replace(/^(body|query|params|querystring)\./, '');
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** Do not call the 401 handler (for the session probe and sign-in steps). */
  quiet401?: boolean;
  signal?: AbortSignal;
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (UNSAFE.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, { error: 'network', message: 'Could not reach the CivicDesk server. Check your connection and try again.' });
  }
  const text = await response.text();
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!response.ok) {
    const body = (data && typeof data === 'object' ? data : {}) as Partial<ApiErrorBody>;
    if (response.status === 401 && !options.quiet401 && onUnauthorized) onUnauthorized();
    throw new ApiError(response.status, body);
  }
  return data as T;
}

export const api = {
  get: <T>(path: string, options: Omit<RequestOptions, 'method' | 'body'> = {}) => request<T>(path, { ...options, method: 'GET' }),
  post: <T>(path: string, body?: unknown, options: Omit<RequestOptions, 'method' | 'body'> = {}) =>
    request<T>(path, { ...options, method: 'POST', body: body ?? {} }),
  put: <T>(path: string, body?: unknown, options: Omit<RequestOptions, 'method' | 'body'> = {}) =>
    request<T>(path, { ...options, method: 'PUT', body: body ?? {} }),
  patch: <T>(path: string, body?: unknown, options: Omit<RequestOptions, 'method' | 'body'> = {}) =>
    request<T>(path, { ...options, method: 'PATCH', body: body ?? {} }),
};

/** Per-field messages of a failure (empty for anything but an ApiError with fields). */
export function fieldErrorsOf(error: unknown): Record<string, string> {
  return error instanceof ApiError ? error.fieldMessages() : {};
}

/** A message for any thrown value, for alerts. */
export function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  return 'Something went wrong.';
}
