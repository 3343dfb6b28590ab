import { h, Html } from '../jsx/runtime';
import { ErrorSummary, errorFor, FieldError, Hidden, TextField } from './components';
import { PageContext } from './context';
import { Layout } from './layout';

export interface LostLinkForm {
  reference?: string;
  contact?: string;
}

/** "Lost your link?": the reference and the contact the booking was made with; a new link goes there. */
export function LostLinkPage(props: { ctx: PageContext; action: string; form: LostLinkForm; errors: FieldError[] }): Html {
  const { ctx, form, errors } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('lost.title')} hasErrors={errors.length > 0}>
      <ErrorSummary t={t} errors={errors} />
      <p>{t('lost.lead')}</p>
      <form method="post" action={props.action} novalidate>
        <Hidden name="csrf" value={ctx.csrf} />
        <TextField id="reference" label={t('lost.reference')} hint={t('lost.referenceHint')} value={form.reference} error={errorFor(errors, 'reference')} maxlength={20} autocomplete="off" />
        <TextField id="contact" label={t('lost.contact')} hint={t('lost.contactHint')} value={form.contact} error={errorFor(errors, 'contact')} maxlength={254} autocomplete="email" />
        <div class="actions">
          <button class="hds-button hds-button--primary" type="submit">
            {t('lost.submit')}
          </button>
        </div>
      </form>
    </Layout>
  );
}
