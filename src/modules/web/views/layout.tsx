import { Child, h, Html } from '../jsx/runtime';
import { ENDONYMS, LANGUAGES } from '../i18n/messages';
import { href, PageContext } from './context';

/** The one layout: skip link, header with the language switcher, main, footer. */
export function Layout(props: { ctx: PageContext; title: string; step?: number; back?: string; hasErrors?: boolean; children?: Child }): Html {
  const { ctx } = props;
  const { t, lang } = ctx;
  return (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.hasErrors ? `${t('errors.titlePrefix')} ` : ''}${props.title} – ${t('site.name')}`}</title>
        <link rel="stylesheet" href={ctx.stylesheet} />
      </head>
      <body>
        <a class="skip" href="#main">
          {t('nav.skip')}
        </a>
        <header class="site-header">
          <div class="wrap bar">
            <a class="site-name" href={href(lang, '')}>
              {t('site.name')}
            </a>
            <nav class="lang-nav" aria-label={t('nav.language')}>
              <ul>
                {LANGUAGES.map((other) => (
                  <li>
                    <a href={`/${other}${ctx.pathAfterLang}`} lang={other} hreflang={other} aria-current={other === lang ? 'true' : undefined}>
                      {ENDONYMS[other]}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
          </div>
        </header>
        <main id="main" class="wrap" tabindex={-1}>
          {props.back ? (
            <a class="back" href={props.back}>
              {`‹ ${t('nav.back')}`}
            </a>
          ) : null}
          {props.step ? <p class="step">{t('step.of', { n: props.step })}</p> : null}
          <h1>{props.title}</h1>
          {props.children}
        </main>
        <footer class="site-footer">
          <div class="wrap">
            <ul>
              <li>
                <a href={href(lang, 'accessibility')}>{t('footer.accessibility')}</a>
              </li>
              <li>
                <a href={href(lang, 'privacy')}>{t('footer.privacy')}</a>
              </li>
            </ul>
          </div>
        </footer>
      </body>
    </html>
  );
}
