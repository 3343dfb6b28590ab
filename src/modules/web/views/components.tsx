import { Child, Fragment, h, Html } from '../jsx/runtime';
import type { Translate } from '../i18n/messages';

export interface FieldError {
  /** The id of the input the message belongs to. */
  field: string;
  message: string;
}

/** GOV.UK's error summary: first on the page, focusable, each message linking to its field. */
export function ErrorSummary(props: { t: Translate; errors: FieldError[] }): Html {
  if (props.errors.length === 0) return <></>;
  return (
    <div class="hds-error-summary" role="alert" aria-labelledby="error-summary-title" tabindex={-1} id="error-summary">
      <h2 id="error-summary-title">{props.t('errors.summaryTitle')}</h2>
      <ul class="hds-error-summary__body">
        {props.errors.map((e) => (
          <li>
            <a href={`#${e.field}`}>{e.message}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function errorFor(errors: FieldError[], field: string): string | undefined {
  return errors.find((e) => e.field === field)?.message;
}

function describedBy(...ids: (string | false | undefined)[]): string | undefined {
  const list = ids.filter(Boolean).join(' ');
  return list || undefined;
}

/** A field's label, then its hint and error (GOV.UK's order: read before the input). */
/** A field's error message, which its input names in aria-describedby (`{id}-error`). */
function ErrorText(props: { id: string; error?: string }): Html {
  return props.error ? (
    <p class="error-text" id={`${props.id}-error`}>
      {props.error}
    </p>
  ) : (
    <></>
  );
}

function LabelHintError(props: { id: string; label: string; hint?: string; error?: string }): Html {
  const { id } = props;
  return (
    <>
      <label class="hds-text-input__label" for={id}>
        {props.label}
      </label>
      {props.hint ? (
        <p class="hds-text-input__helper-text" id={`${id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      <ErrorText id={id} error={props.error} />
    </>
  );
}

export function TextField(props: {
  id: string;
  label: string;
  hint?: string;
  value?: string;
  error?: string;
  type?: 'text' | 'tel' | 'email';
  autocomplete?: string;
  inputmode?: 'text' | 'tel' | 'email';
  maxlength?: number;
}): Html {
  const { id } = props;
  return (
    <div class={`field hds-text-input${props.error ? ' hds-text-input--invalid' : ''}`}>
      <LabelHintError id={id} label={props.label} hint={props.hint} error={props.error} />
      <div class="hds-text-input__input-wrapper">
        <input
          class="hds-text-input__input"
          id={id}
          name={id}
          type={props.type ?? 'text'}
          value={props.value ?? ''}
          autocomplete={props.autocomplete}
          inputmode={props.inputmode}
          maxlength={props.maxlength}
          aria-invalid={props.error ? 'true' : undefined}
          aria-describedby={describedBy(props.hint && `${id}-hint`, props.error && `${id}-error`)}
        />
      </div>
    </div>
  );
}

export function TextArea(props: { id: string; label: string; hint?: string; value?: string; error?: string; maxlength: number }): Html {
  const { id } = props;
  return (
    <div class={`field hds-text-input${props.error ? ' hds-text-input--invalid' : ''}`}>
      <LabelHintError id={id} label={props.label} hint={props.hint} error={props.error} />
      <textarea
        class="hds-text-input__input"
        id={id}
        name={id}
        rows={4}
        maxlength={props.maxlength}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy(props.hint && `${id}-hint`, props.error && `${id}-error`)}
      >
        {props.value ?? ''}
      </textarea>
    </div>
  );
}

export function RadioGroup(props: { id: string; legend: string; options: { value: string; label: string }[]; value?: string; error?: string }): Html {
  return (
    <fieldset class="field hds-selection-group" aria-describedby={props.error ? `${props.id}-error` : undefined}>
      <legend class="hds-selection-group__legend">{props.legend}</legend>
      <ErrorText id={props.id} error={props.error} />
      <div class="hds-selection-group__items hds-selection-group__items--vertical">
        {props.options.map((o, i) => (
          <div class="hds-radio-button">
            <input
              class="hds-radio-button__input"
              type="radio"
              id={i === 0 ? props.id : `${props.id}-${o.value}`}
              name={props.id}
              value={o.value}
              checked={o.value === props.value}
            />
            <label class="hds-radio-button__label" for={i === 0 ? props.id : `${props.id}-${o.value}`}>
              {o.label}
            </label>
          </div>
        ))}
      </div>
    </fieldset>
  );
}

export function Checkbox(props: { id: string; legend: string; label: string; checked: boolean; error?: string }): Html {
  return (
    <fieldset class="field hds-selection-group">
      <legend class="hds-selection-group__legend">{props.legend}</legend>
      <ErrorText id={props.id} error={props.error} />
      <div class="hds-checkbox">
        <input
          class="hds-checkbox__input"
          type="checkbox"
          id={props.id}
          name={props.id}
          value="yes"
          checked={props.checked}
          aria-invalid={props.error ? 'true' : undefined}
          aria-describedby={props.error ? `${props.id}-error` : undefined}
        />
        <label class="hds-checkbox__label" for={props.id}>
          {props.label}
        </label>
      </div>
    </fieldset>
  );
}

export function Hidden(props: { name: string; value: string }): Html {
  return <input type="hidden" name={props.name} value={props.value} />;
}

export function Notice(props: { kind?: 'info' | 'alert' | 'success'; title?: string; children?: Child }): Html {
  return (
    <div class={`notice${props.kind && props.kind !== 'info' ? ` notice--${props.kind}` : ''}`} role={props.kind === 'alert' ? 'alert' : 'status'}>
      {props.title ? (
        <p>
          <strong>{props.title}</strong>
        </p>
      ) : null}
      {props.children}
    </div>
  );
}

/** Large link cards: the flow's choices. */
export function ChoiceList(props: { items: { href: string; title: string; text?: string; lang?: string }[] }): Html {
  return (
    <ul class="choices">
      {props.items.map((item) => (
        <li>
          <a class="choice" href={item.href}>
            <strong>{item.title}</strong>
            {item.text ? <span>{item.text}</span> : null}
          </a>
        </li>
      ))}
    </ul>
  );
}

/** The days that have free times, the chosen one marked current. */
export function DayNav(props: { title: string; days: { label: string; href: string; current: boolean }[] }): Html {
  return (
    <nav aria-labelledby="days-title">
      <h2 id="days-title">{props.title}</h2>
      <ul class="days">
        {props.days.map((d) => (
          <li>
            <a href={d.href} aria-current={d.current ? 'date' : undefined}>
              {d.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** Time buttons (links): the time large, the tutors' languages under it. */
export function TimeList(props: { items: { href: string; time: string; note: string }[] }): Html {
  return (
    <ul class="times">
      {props.items.map((item) => (
        <li>
          <a href={item.href}>
            {item.time}
            <span>{item.note}</span>
          </a>
        </li>
      ))}
    </ul>
  );
}
