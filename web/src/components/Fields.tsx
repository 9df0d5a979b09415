// Form fields in USWDS markup. Each has a visible label; a hint and an error message are tied to the
// input with aria-describedby, and an error marks the input aria-invalid.
import type { ChangeEvent, ReactNode } from 'react';

function describedBy(...ids: Array<string | false | undefined>): string | undefined {
  const list = ids.filter((x): x is string => Boolean(x));
  return list.length ? list.join(' ') : undefined;
}

interface BaseProps {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  /** Not required. `'quiet'`: not required, without the "(optional)" marker (search filters, where all are). */
  optional?: boolean | 'quiet';
}

function Group({ id, label, hint, error, optional, children }: BaseProps & { children: ReactNode }) {
  return (
    <div className={`usa-form-group${error ? ' usa-form-group--error' : ''}`}>
      <label className={`usa-label${error ? ' usa-label--error' : ''}`} htmlFor={id}>
        {label}
        {optional === true ? <span className="usa-hint"> (optional)</span> : null}
      </label>
      {hint ? <div className="usa-hint" id={`${id}-hint`}>{hint}</div> : null}
      {error ? <span className="usa-error-message" id={`${id}-error`}>{error}</span> : null}
      {children}
    </div>
  );
}

export function TextField(props: BaseProps & {
  name: string;
  value: string;
  onChange: (value: string) => void;
  type?: 'text' | 'email' | 'password' | 'date';
  autoComplete?: string;
  inputMode?: 'text' | 'numeric' | 'email';
  pattern?: string;
  maxLength?: number;
  spellCheck?: boolean;
  className?: string;
}) {
  const { id, name, value, onChange, type = 'text', autoComplete, inputMode, pattern, maxLength, spellCheck, error, hint, optional, className } = props;
  return (
    <Group {...props}>
      <input
        id={id}
        name={name}
        className={`usa-input${error ? ' usa-input--error' : ''}${className ? ` ${className}` : ''}`}
        type={type}
        value={value}
        autoComplete={autoComplete}
        inputMode={inputMode}
        pattern={pattern}
        maxLength={maxLength}
        spellCheck={spellCheck}
        required={!optional}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(hint ? `${id}-hint` : undefined, error ? `${id}-error` : undefined)}
        onChange={(e: ChangeEvent<HTMLInputElement>) => onChange(e.target.value)}
      />
    </Group>
  );
}

export function SelectField(props: BaseProps & {
  name: string;
  value: string;
  onChange: (value: string) => void;
  options: Array<{ value: string; label: string }>;
  placeholder?: string;
}) {
  const { id, name, value, onChange, options, placeholder, error, hint, optional } = props;
  return (
    <Group {...props}>
      <select
        id={id}
        name={name}
        className={`usa-select${error ? ' usa-input--error' : ''}`}
        value={value}
        required={!optional}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(hint ? `${id}-hint` : undefined, error ? `${id}-error` : undefined)}
        onChange={(e) => onChange(e.target.value)}
      >
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>{o.label}</option>
        ))}
      </select>
    </Group>
  );
}

/** A group of checkboxes in a fieldset; the legend names the group. */
export function CheckboxGroup({ id, legend, hint, error, options, selected, onChange }: {
  id: string;
  legend: ReactNode;
  hint?: ReactNode;
  error?: string;
  options: Array<{ value: string; label: ReactNode; description?: ReactNode }>;
  selected: readonly string[];
  onChange: (next: string[]) => void;
}) {
  const toggle = (value: string, checked: boolean) => {
    onChange(checked ? [...selected, value] : selected.filter((v) => v !== value));
  };
  return (
    <div className={`usa-form-group${error ? ' usa-form-group--error' : ''}`}>
      <fieldset
        className="usa-fieldset"
        id={id}
        tabIndex={-1}
        aria-describedby={describedBy(hint ? `${id}-hint` : undefined, error ? `${id}-error` : undefined)}
      >
        <legend className={`usa-legend${error ? ' usa-label--error' : ''}`}>{legend}</legend>
        {hint ? <div className="usa-hint" id={`${id}-hint`}>{hint}</div> : null}
        {error ? <span className="usa-error-message" id={`${id}-error`}>{error}</span> : null}
        {options.map((o) => {
          const inputId = `${id}-${o.value}`;
          return (
            <div className="usa-checkbox" key={o.value}>
              <input
                className="usa-checkbox__input"
                id={inputId}
                type="checkbox"
                name={id}
                value={o.value}
                checked={selected.includes(o.value)}
                onChange={(e) => toggle(o.value, e.target.checked)}
              />
              <label className="usa-checkbox__label" htmlFor={inputId}>
                {o.label}
                {o.description ? <span className="usa-checkbox__label-description">{o.description}</span> : null}
              </label>
            </div>
          );
        })}
      </fieldset>
    </div>
  );
}

export function TextAreaField(props: BaseProps & {
  name: string;
  value: string;
  onChange: (value: string) => void;
  rows?: number;
  maxLength?: number;
}) {
  const { id, name, value, onChange, rows = 3, maxLength, error, hint, optional } = props;
  return (
    <Group {...props}>
      <textarea
        id={id}
        name={name}
        className={`usa-textarea${error ? ' usa-input--error' : ''}`}
        value={value}
        rows={rows}
        maxLength={maxLength}
        required={!optional}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(hint ? `${id}-hint` : undefined, error ? `${id}-error` : undefined)}
        onChange={(e: ChangeEvent<HTMLTextAreaElement>) => onChange(e.target.value)}
      />
    </Group>
  );
}

/** One checkbox on its own (a yes/no choice), in USWDS markup. */
export function CheckboxField({ id, name, label, description, checked, onChange }: {
  id: string;
  name: string;
  label: ReactNode;
  description?: ReactNode;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  return (
    <div className="usa-checkbox">
      <input className="usa-checkbox__input" id={id} type="checkbox" name={name} checked={checked} onChange={(e) => onChange(e.target.checked)} />
      <label className="usa-checkbox__label" htmlFor={id}>
        {label}
        {description ? <span className="usa-checkbox__label-description">{description}</span> : null}
      </label>
    </div>
  );
}
