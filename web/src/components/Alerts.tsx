// USWDS alerts, and the error summary forms show after a failed submit. The summary takes focus so a
// keyboard or screen-reader user lands on it, and links each field message to its field.
import { useEffect, useId, useRef, type ReactNode } from 'react';
import { ApiError, fieldKey } from '../api.js';
import { Sources } from './Sources.js';

export type AlertKind = 'info' | 'warning' | 'error' | 'success';

export function Alert({ kind, heading, children, slim, role, headingLevel = 2, id, focus }: {
  kind: AlertKind;
  heading?: ReactNode;
  children?: ReactNode;
  slim?: boolean;
  role?: 'alert' | 'status' | 'region';
  headingLevel?: 2 | 3;
  id?: string;
  /** Move focus here when shown (for results of an action the person just took). */
  focus?: boolean;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (focus) ref.current?.focus();
  }, [focus]);
  const H = headingLevel === 2 ? 'h2' : 'h3';
  const headingId = id ? `${id}-heading` : undefined;
  return (
    <div
      ref={ref}
      id={id}
      tabIndex={focus ? -1 : undefined}
      role={role}
      aria-labelledby={role === 'region' && heading ? headingId : undefined}
      className={`usa-alert usa-alert--${kind}${slim ? ' usa-alert--slim' : ''} margin-y-2`}
    >
      <div className="usa-alert__body">
        {heading ? <H id={headingId} className="usa-alert__heading">{heading}</H> : null}
        <div className="usa-alert__text">{children}</div>
      </div>
    </div>
  );
}

/** A failure from the API: its message, and the policy ids when the policy refused it (403). */
export function ApiErrorAlert({ error, focus }: { error: unknown; focus?: boolean }) {
  if (!error) return null;
  const message = error instanceof Error ? error.message : 'Something went wrong.';
  const sources = error instanceof ApiError ? error.sources : [];
  const heading = error instanceof ApiError && error.status === 403 ? 'Not allowed by your city\'s policy' : 'There is a problem';
  return (
    <Alert kind="error" heading={heading} role="alert" focus={focus}>
      <p className="margin-0">{message}</p>
      {sources.length ? <p className="margin-bottom-0">Policy: <Sources ids={sources} label="Cited" /></p> : null}
    </Alert>
  );
}

/**
 * Shown at the top of a form after a failed submit. Lists every field message as a link to its
 * field; takes focus each time a new error arrives.
 */
export function ErrorSummary({ error, fieldIds, labels }: {
  error: unknown;
  /** Field name (as in the API's `body.<name>` paths) → the input's id. */
  fieldIds: Record<string, string>;
  labels: Record<string, string>;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const headingId = useId();
  useEffect(() => {
    if (error) ref.current?.focus();
  }, [error]);
  if (!error) return null;
  const apiError = error instanceof ApiError ? error : null;
  const message = error instanceof Error ? error.message : 'Something went wrong.';
  const fields = apiError?.fields ?? [];
  const sources = apiError?.sources ?? [];
  const forbidden = apiError?.status === 403;
  return (
    <div ref={ref} tabIndex={-1} className="usa-alert usa-alert--error margin-y-2 error-summary">
      <div className="usa-alert__body">
        <h2 id={headingId} className="usa-alert__heading">
          {forbidden ? 'Not allowed by your city\'s policy' : 'There is a problem'}
        </h2>
        <p className="usa-alert__text">{message}</p>
        {sources.length ? <p className="usa-alert__text">Policy: <Sources ids={sources} label="Cited" /></p> : null}
        {fields.length ? (
          <ul className="usa-list margin-bottom-0">
            {fields.map((f) => {
              const key = fieldKey(f.path);
              const target = fieldIds[key];
              const text = `${labels[key] ?? key}: ${f.message}`;
              return (
                <li key={`${f.path}-${f.message}`}>
                  {target ? (
                    <a
                      className="usa-link"
                      href={`#${target}`}
                      onClick={(e) => {
                        e.preventDefault();
                        document.getElementById(target)?.focus();
                      }}
                    >
                      {text}
                    </a>
                  ) : text}
                </li>
              );
            })}
          </ul>
        ) : null}
      </div>
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="text-base" role="status">
      Loading {what}…
    </p>
  );
}
