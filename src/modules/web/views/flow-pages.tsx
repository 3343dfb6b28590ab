import { Fragment, h, Html } from '../jsx/runtime';
import { ChoiceList, Checkbox, DayNav, ErrorSummary, errorFor, FieldError, Hidden, Notice, RadioGroup, TextArea, TextField, TimeList } from './components';
import { href, PageContext } from './context';
import { Layout } from './layout';

export function TopicsPage(props: { ctx: PageContext; topics: { slug: string; name: string; description: string }[] }): Html {
  const { ctx } = props;
  return (
    <Layout ctx={ctx} title={ctx.t('topics.title')} step={1}>
      <p class="lead">{ctx.t('topics.lead')}</p>
      {props.topics.length ? (
        <ChoiceList items={props.topics.map((topic) => ({ href: href(ctx.lang, 'where', { topic: topic.slug }), title: topic.name, text: topic.description }))} />
      ) : (
        <p>{ctx.t('topics.empty')}</p>
      )}
    </Layout>
  );
}

export function MunicipalitiesPage(props: { ctx: PageContext; topic: { slug: string; name: string }; municipalities: { code: string; name: string; branches: number }[] }): Html {
  const { ctx } = props;
  return (
    <Layout ctx={ctx} title={ctx.t('where.title')} step={2} back={href(ctx.lang, '')}>
      <p>{ctx.t('where.topicChosen', { topic: props.topic.name })}</p>
      <ChoiceList items={props.municipalities.map((m) => ({ href: href(ctx.lang, 'where', { topic: props.topic.slug, municipality: m.code }), title: m.name }))} />
    </Layout>
  );
}

export function BranchesPage(props: {
  ctx: PageContext;
  topic: { slug: string; name: string };
  municipality: string;
  branches: { id: string; name: string; address: string }[];
}): Html {
  const { ctx } = props;
  return (
    <Layout ctx={ctx} title={`${ctx.t('where.branchTitle')}: ${props.municipality}`} step={2} back={href(ctx.lang, 'where', { topic: props.topic.slug })}>
      <p>{ctx.t('where.topicChosen', { topic: props.topic.name })}</p>
      {props.branches.length ? (
        <ChoiceList items={props.branches.map((b) => ({ href: href(ctx.lang, `library/${b.id}`, { topic: props.topic.slug }), title: b.name, text: b.address }))} />
      ) : (
        <p>{ctx.t('where.noBranches')}</p>
      )}
    </Layout>
  );
}

export interface BranchFacts {
  id: string;
  name: string;
  address: string;
  municipality: string;
  accessibility?: string;
  week: { day: string; hours: string; holiday?: string }[];
  /** Partners' drop-in hours and advisory sessions this week, each a sentence naming the partner. */
  partners: string[];
}

export function BranchPage(props: { ctx: PageContext; topic: { slug: string; name: string }; branch: BranchFacts }): Html {
  const { ctx, branch } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={branch.name} step={3} back={href(ctx.lang, 'where', { topic: props.topic.slug, municipality: branch.municipality })}>
      <p>{t('where.topicChosen', { topic: props.topic.name })}</p>
      <dl class="facts">
        <dt>{t('branch.address')}</dt>
        <dd>{branch.address}</dd>
        <dt>{t('branch.accessibility')}</dt>
        <dd>{branch.accessibility ?? t('branch.noAccessibility')}</dd>
      </dl>
      <p>
        <a class="hds-button hds-button--primary" href={href(ctx.lang, `times/${branch.id}`, { topic: props.topic.slug })}>
          {t('branch.chooseTime')}
        </a>
      </p>
      <h2>{t('branch.hoursThisWeek')}</h2>
      <table class="hours">
        <tbody>
          {branch.week.map((d) => (
            <tr>
              <th scope="row">{d.day}</th>
              <td>
                {d.hours}
                {d.holiday ? (
                  <>
                    <br />
                    {t('branch.holiday', { name: d.holiday })}
                  </>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {branch.partners.length ? (
        <>
          <h2>{t('branch.partners')}</h2>
          <ul class="partners">
            {branch.partners.map((line) => (
              <li>{line}</li>
            ))}
          </ul>
        </>
      ) : null}
    </Layout>
  );
}

export interface DayLink {
  date: string;
  label: string;
  href: string;
  current: boolean;
}

export function TimesPage(props: {
  ctx: PageContext;
  title: string;
  back: string;
  step?: number;
  intro?: string;
  days: DayLink[];
  dayLabel?: string;
  times: { href: string; time: string; note: string }[];
  emptyLink: { href: string; label: string };
}): Html {
  const { ctx } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={props.title} step={props.step} back={props.back}>
      {props.intro ? <p>{props.intro}</p> : null}
      {props.days.length === 0 ? (
        <>
          <p>{t('when.noTimes')}</p>
          <p>
            <a href={props.emptyLink.href}>{props.emptyLink.label}</a>
          </p>
        </>
      ) : (
        <>
          <DayNav title={t('when.days')} days={props.days} />
          <h2>{t('when.timesOn', { day: props.dayLabel ?? '' })}</h2>
          <TimeList items={props.times} />
        </>
      )}
    </Layout>
  );
}

export interface DetailsForm {
  name: string;
  phone: string;
  email: string;
  language: string;
  notes: string;
  consent: boolean;
}

export interface Refusal {
  message: string;
  /** Each alternative re-opens the form for that time with what was typed (a POST to `retime`). */
  alternatives: { start: string; time: string; note: string }[];
  retime: string;
  allTimes: string;
}

export function DetailsPage(props: {
  ctx: PageContext;
  action: string;
  back: string;
  summary: { when: string; where: string; topic: string; partner?: string };
  hidden: Record<string, string>;
  languages: { value: string; label: string }[];
  form: DetailsForm;
  errors: FieldError[];
  refusal?: Refusal;
}): Html {
  const { ctx, form, errors } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('details.title')} step={5} back={props.back} hasErrors={errors.length > 0}>
      <ErrorSummary t={t} errors={errors} />
      {props.refusal ? <RefusalNotice ctx={ctx} refusal={props.refusal} /> : null}
      <h2>{t('details.summary')}</h2>
      <dl class="facts">
        <dt>{t('confirm.when')}</dt>
        <dd>{props.summary.when}</dd>
        <dt>{t('confirm.where')}</dt>
        <dd>{props.summary.where}</dd>
        <dt>{t('confirm.topic')}</dt>
        <dd>{props.summary.topic}</dd>
        {props.summary.partner ? (
          <>
            <dt>{t('confirm.partner')}</dt>
            <dd>{props.summary.partner}</dd>
          </>
        ) : null}
      </dl>
      <form method="post" action={props.action} novalidate id="details-form">
        <Hidden name="csrf" value={ctx.csrf} />
        {Object.entries(props.hidden).map(([name, value]) => (
          <Hidden name={name} value={value} />
        ))}
        <TextField id="name" label={t('details.name')} hint={t('details.nameHint')} value={form.name} error={errorFor(errors, 'name')} autocomplete="name" maxlength={200} />
        <fieldset class="field">
          <legend class="hds-selection-group__legend">{t('details.contactLegend')}</legend>
          <p class="hds-text-input__helper-text">{t('details.contactHint')}</p>
          <TextField id="phone" label={t('details.phone')} type="tel" inputmode="tel" value={form.phone} error={errorFor(errors, 'phone')} autocomplete="tel" maxlength={30} />
          <TextField id="email" label={t('details.email')} type="email" inputmode="email" value={form.email} error={errorFor(errors, 'email')} autocomplete="email" maxlength={254} />
        </fieldset>
        <RadioGroup id="language" legend={t('details.language')} options={props.languages} value={form.language} error={errorFor(errors, 'language')} />
        <TextArea id="notes" label={t('details.notes')} hint={t('details.notesHint')} value={form.notes} error={errorFor(errors, 'notes')} maxlength={2000} />
        <Checkbox id="consent" legend={t('details.consentLegend')} label={t('details.consent')} checked={form.consent} error={errorFor(errors, 'consent')} />
        <div class="actions">
          <button class="hds-button hds-button--primary" type="submit">
            {t('details.submit')}
          </button>
        </div>
      </form>
    </Layout>
  );
}

export function RefusalNotice(props: { ctx: PageContext; refusal: Refusal }): Html {
  const { t } = props.ctx;
  const { refusal } = props;
  return (
    <Notice kind="alert" title={t('refusal.title')}>
      <p>{refusal.message}</p>
      <h2>{t('refusal.alternatives')}</h2>
      {refusal.alternatives.length ? (
        <ul class="times">
          {refusal.alternatives.map((a) => (
            <li>
              <button type="submit" form="details-form" formaction={refusal.retime} name="newStart" value={a.start}>
                {a.time}
                <span>{a.note}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('refusal.noAlternatives')}</p>
      )}
      <p>
        <a href={refusal.allTimes}>{t('refusal.allTimes')}</a>
      </p>
    </Notice>
  );
}
