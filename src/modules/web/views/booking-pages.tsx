import { Fragment, h, Html } from '../jsx/runtime';
import { DayNav, Hidden, Notice } from './components';
import { href, PageContext } from './context';
import { Layout } from './layout';

/** A booking as the pages show it: every text already in the page's language. */
export interface BookingFacts {
  reference: string;
  when: string;
  where: string;
  address: string;
  topic: string;
  tutor: string;
  /** The partner organisation of an advisory session. */
  partner?: string;
  status: 'confirmed' | 'cancelled' | 'done';
  manageUrl?: string;
}

function Facts(props: { ctx: PageContext; booking: BookingFacts }): Html {
  const { t } = props.ctx;
  const b = props.booking;
  return (
    <dl class="facts">
      <dt>{t('confirm.when')}</dt>
      <dd>{b.when}</dd>
      <dt>{t('confirm.where')}</dt>
      <dd>
        {b.where}
        <br />
        {b.address}
      </dd>
      <dt>{t('confirm.topic')}</dt>
      <dd>{b.topic}</dd>
      {b.partner ? (
        <>
          <dt>{t('confirm.partner')}</dt>
          <dd>{b.partner}</dd>
        </>
      ) : null}
      <dt>{t(b.partner ? 'confirm.advisor' : 'confirm.tutor')}</dt>
      <dd>{b.tutor}</dd>
    </dl>
  );
}

export function ConfirmationPage(props: { ctx: PageContext; booking: BookingFacts }): Html {
  const { ctx, booking } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('confirm.title')} step={6}>
      <p>{t('confirm.reference')}</p>
      <p class="reference code">{booking.reference}</p>
      <Facts ctx={ctx} booking={booking} />
      <p>{t('confirm.bring')}</p>
      <h2>{t('confirm.manageLink')}</h2>
      <p class="manage-link">
        <a href={booking.manageUrl}>{booking.manageUrl}</a>
      </p>
      <ul class="actions no-print">
        <li>
          <a class="hds-button hds-button--secondary" href={href(ctx.lang, 'manage/calendar.ics')} download>
            {t('confirm.calendar')}
          </a>
        </li>
        <li>
          <a class="hds-button hds-button--secondary" href={href(ctx.lang, 'booked/slip')}>
            {t('confirm.print')}
          </a>
        </li>
      </ul>
    </Layout>
  );
}

/** The slip to print and take along: reference, time, place and the manage link. */
export function SlipPage(props: { ctx: PageContext; booking: BookingFacts }): Html {
  const { ctx, booking } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('slip.title')} back={href(ctx.lang, 'booked')}>
      <p>{t('confirm.reference')}</p>
      <p class="reference code">{booking.reference}</p>
      <Facts ctx={ctx} booking={booking} />
      <p>{t('confirm.bring')}</p>
      <p>{t('confirm.manageLink')}</p>
      <p class="manage-link code">{booking.manageUrl}</p>
    </Layout>
  );
}

export function ManagePage(props: {
  ctx: PageContext;
  booking: BookingFacts;
  deadline: string;
  changeable: boolean;
  flash?: { kind: 'success' | 'alert'; text: string };
}): Html {
  const { ctx, booking } = props;
  const { t } = ctx;
  const status = { confirmed: t('manage.status.confirmed'), cancelled: t('manage.status.cancelled'), done: t('manage.status.done') }[booking.status];
  return (
    <Layout ctx={ctx} title={t('manage.title')}>
      {props.flash ? (
        <Notice kind={props.flash.kind}>
          <p>{props.flash.text}</p>
        </Notice>
      ) : null}
      <p>{t('confirm.reference')}</p>
      <p class="reference code">{booking.reference}</p>
      <dl class="facts">
        <dt>{t('manage.status')}</dt>
        <dd>{status}</dd>
      </dl>
      <Facts ctx={ctx} booking={booking} />
      {booking.status === 'confirmed' ? (
        <>
          <p>{props.changeable ? t('manage.cancelDeadline', { deadline: props.deadline }) : t('manage.cancelPassed', { deadline: props.deadline })}</p>
          {props.changeable ? (
            <div class="actions">
              <a class="hds-button hds-button--secondary" href={href(ctx.lang, 'manage/move')}>
                {t('manage.move')}
              </a>
              <a class="hds-button hds-button--secondary" href={href(ctx.lang, 'manage/cancel')}>
                {t('manage.cancel')}
              </a>
            </div>
          ) : null}
          <p class="no-print">
            <a href={href(ctx.lang, 'manage/calendar.ics')} download>
              {t('confirm.calendar')}
            </a>
          </p>
        </>
      ) : (
        <p>
          <a href={href(ctx.lang, '')}>{t('manage.newBooking')}</a>
        </p>
      )}
    </Layout>
  );
}

/** Cancelling asks once more: a tap on a small screen must not cancel by accident. */
export function CancelPage(props: { ctx: PageContext; booking: BookingFacts }): Html {
  const { ctx } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('manage.cancelTitle')} back={href(ctx.lang, 'manage')}>
      <Facts ctx={ctx} booking={props.booking} />
      <form method="post" action={href(ctx.lang, 'manage/cancel')}>
        <Hidden name="csrf" value={ctx.csrf} />
        <div class="actions">
          <button class="hds-button hds-button--danger" type="submit">
            {t('manage.cancelConfirm')}
          </button>
          <a class="hds-button hds-button--secondary" href={href(ctx.lang, 'manage')}>
            {t('manage.keep')}
          </a>
        </div>
      </form>
    </Layout>
  );
}

/** A move's time choice: POST forms (one per time) since moving changes the booking. */
export function MovePage(props: {
  ctx: PageContext;
  days: { label: string; href: string; current: boolean }[];
  dayLabel?: string;
  times: { start: string; time: string; note: string }[];
  error?: string;
}): Html {
  const { ctx } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('manage.moveTitle')} back={href(ctx.lang, 'manage')}>
      {props.error ? (
        <Notice kind="alert">
          <p>{props.error}</p>
        </Notice>
      ) : null}
      {props.days.length === 0 ? (
        <p>{t('refusal.noAlternatives')}</p>
      ) : (
        <>
          <DayNav title={t('when.days')} days={props.days} />
          <h2>{t('when.timesOn', { day: props.dayLabel ?? '' })}</h2>
          <ul class="times">
            {props.times.map((time) => (
              <li>
                <form method="post" action={href(ctx.lang, 'manage/move')}>
                  <Hidden name="csrf" value={ctx.csrf} />
                  <Hidden name="start" value={time.start} />
                  <button type="submit">
                    {time.time}
                    <span>{time.note}</span>
                  </button>
                </form>
              </li>
            ))}
          </ul>
        </>
      )}
    </Layout>
  );
}

export function MessagePage(props: { ctx: PageContext; title: string; paragraphs: string[]; code?: string; more?: { href: string; label: string }; link?: { href: string; label: string } }): Html {
  const { ctx } = props;
  return (
    <Layout ctx={ctx} title={props.title}>
      {props.paragraphs.map((p) => (
        <p>{p}</p>
      ))}
      {props.code ? <p class="code">{props.code}</p> : null}
      {props.more ? (
        <p>
          <a href={props.more.href}>{props.more.label}</a>
        </p>
      ) : null}
      <p>
        <a href={props.link?.href ?? href(ctx.lang, '')}>{props.link?.label ?? ctx.t('nav.home')}</a>
      </p>
    </Layout>
  );
}
