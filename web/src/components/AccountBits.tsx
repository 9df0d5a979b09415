// Pieces the account, request and compliance pages share: status tags (words, never colour alone),
// the approval chain as ordered steps, and a small "who" cell.
import type { ReactNode } from 'react';
import { accountStatusWords, checkStatusWords, requestStatusWords, stepStateWords } from '../accountText.js';
import { formatDateTime } from '../policyText.js';
import type { AccountStatus, CheckStatus, RequestStatus, RequestStep, StepState } from '../types.js';
import { Sources } from './Sources.js';

type Tone = 'good' | 'bad' | 'warn' | 'info' | 'neutral' | 'muted';

export function StatusTag({ tone, children, testId }: { tone: Tone; children: ReactNode; testId?: string }) {
  return <span className={`usa-tag civic-status civic-status--${tone}`} data-testid={testId}>{children}</span>;
}

const ACCOUNT_TONES: Record<AccountStatus, Tone> = {
  requested: 'warn', approved: 'info', active: 'good', suspended: 'bad', retired: 'muted',
};

export function AccountStatusTag({ status }: { status: AccountStatus }) {
  return <StatusTag tone={ACCOUNT_TONES[status] ?? 'neutral'} testId="account-status">{accountStatusWords(status)}</StatusTag>;
}

const REQUEST_TONES: Record<RequestStatus, Tone> = { pending: 'warn', approved: 'good', rejected: 'bad', withdrawn: 'muted' };

export function RequestStatusTag({ status }: { status: RequestStatus }) {
  return <StatusTag tone={REQUEST_TONES[status] ?? 'neutral'} testId="request-status">{requestStatusWords(status)}</StatusTag>;
}

const CHECK_TONES: Record<CheckStatus, Tone> = { pass: 'good', fail: 'bad', warn: 'warn', 'n/a': 'neutral' };

export function CheckStatusTag({ status }: { status: CheckStatus }) {
  return <StatusTag tone={CHECK_TONES[status] ?? 'neutral'}>{checkStatusWords(status)}</StatusTag>;
}

const STEP_TONES: Record<StepState, Tone> = { approved: 'good', rejected: 'bad', awaiting: 'warn', waiting: 'neutral', not_reached: 'muted' };

export interface ChainStepView {
  roleTitle: string;
  label: string;
  state?: StepState;
  decision?: RequestStep['decision'];
}

/**
 * The steps of an approval chain in order. With states (a submitted request), each says whether it
 * is done, waiting now or still to come, and who decided it, when, and why; the step waiting now
 * is marked aria-current="step".
 */
export function ChainSteps({ steps, sources, notes, testId }: {
  steps: ChainStepView[];
  sources: readonly string[];
  notes?: string;
  testId?: string;
}) {
  return (
    <>
      <ol className="usa-process-list civic-chain" data-testid={testId}>
        {steps.map((step, i) => (
          <li
            key={`${step.roleTitle}-${i}`}
            className={`usa-process-list__item padding-bottom-3${step.state ? ` civic-chain__step--${step.state}` : ''}`}
            aria-current={step.state === 'awaiting' ? 'step' : undefined}
            data-state={step.state}
          >
            <p className="usa-process-list__heading font-sans-sm">
              Step {i + 1}: the {step.roleTitle}
            </p>
            <p className="margin-top-05 margin-bottom-05">{step.label}</p>
            {step.state ? (
              <p className="margin-y-05">
                <StatusTag tone={STEP_TONES[step.state] ?? 'neutral'}>{stepStateWords(step.state)}</StatusTag>
              </p>
            ) : null}
            {step.decision ? (
              <p className="margin-y-05" data-testid="step-decision">
                {step.decision.decision === 'approved' ? 'Approved' : 'Rejected'} by <strong>{step.decision.byName}</strong> on{' '}
                <time dateTime={step.decision.at}>{formatDateTime(step.decision.at)}</time>
                {step.decision.comment ? <>: <q className="civic-comment">{step.decision.comment}</q></> : null}
              </p>
            ) : null}
          </li>
        ))}
      </ol>
      <p className="margin-top-0">
        Under the city's policy: <Sources ids={sources} />
        {notes ? <span className="display-block text-base-dark margin-top-05">{notes}</span> : null}
      </p>
    </>
  );
}

/** A person in a table cell: the name, with the e-mail small below. */
export function PersonCell({ name, email, extra }: { name: string; email?: string; extra?: ReactNode }) {
  return (
    <>
      {name}
      {extra}
      {email ? <span className="display-block font-sans-3xs text-base-dark civic-break-any">{email}</span> : null}
    </>
  );
}
