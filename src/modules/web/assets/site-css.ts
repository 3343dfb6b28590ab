/**
 * The pages' own styles, on top of the HDS files listed in stylesheet.ts: system fonts (HDS's
 * typeface is licensed separately), the layout, large tap targets, visible focus, print.
 */
export const SITE_CSS = `
:root{--font-default:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
*,*::before,*::after{box-sizing:border-box}
html{font-size:100%;-webkit-text-size-adjust:100%}
body{margin:0;overflow-wrap:break-word;font-family:var(--font-default);font-size:1.125rem;line-height:1.5;color:var(--color-black-90,#1a1a1a);background:#fff}
a{color:var(--color-bus,#0000bf)}
a:focus,button:focus,input:focus,textarea:focus,summary:focus{outline:3px solid var(--color-coat-of-arms,#0072c6);outline-offset:2px}
.skip{position:absolute;left:-10000px;top:0;background:#fff;padding:.75rem 1rem;z-index:10}
.skip:focus{left:0}
.site-header{background:var(--color-coat-of-arms-light,#e6f4ff);border-bottom:4px solid var(--color-bus,#0000bf)}
.site-header .bar{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:center;justify-content:space-between;padding:.75rem 1rem}
.site-name{font-weight:700;font-size:1.375rem;color:inherit;text-decoration:none}
.lang-nav ul{display:flex;flex-wrap:wrap;gap:0 1rem;list-style:none;margin:0;padding:0}
.lang-nav a{display:inline-block;padding:.5rem .25rem;min-height:44px;white-space:nowrap}
.lang-nav a[aria-current]{font-weight:700;color:inherit;text-decoration:none}
.wrap{max-width:46rem;margin:0 auto;padding:0 1rem}
main{padding:1.5rem 0 3rem}
h1{font-size:2rem;line-height:1.2;margin:.5rem 0 1rem}
h2{font-size:1.5rem;line-height:1.25;margin:2rem 0 .75rem}
.step{color:var(--color-black-70,#4d4d4d);margin:0}
.lead{font-size:1.25rem}
.back{display:inline-block;padding:.5rem 0;min-height:44px}
.choices{list-style:none;margin:0;padding:0;display:grid;gap:.75rem}
.choice{display:block;padding:1rem 1.25rem;border:2px solid var(--color-black-20,#ccc);border-radius:4px;text-decoration:none;color:inherit;min-height:44px}
.choice:hover{border-color:var(--color-bus,#0000bf)}
.choice strong{display:block;color:var(--color-bus,#0000bf);text-decoration:underline;font-size:1.25rem}
.choice span{display:block;margin-top:.25rem}
.times{list-style:none;margin:0;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(9.5rem,1fr));gap:.75rem}
.times form{margin:0}
.times a,.times button{display:block;width:100%;background:#fff;color:var(--color-bus,#0000bf);font-family:inherit;cursor:pointer;text-align:center;padding:.875rem .5rem;border:2px solid var(--color-bus,#0000bf);border-radius:4px;font-size:1.25rem;font-weight:700;text-decoration:none;min-height:56px}
.times a span,.times button span{display:block;font-size:.9375rem;font-weight:400;color:var(--color-black-90,#1a1a1a)}
.days{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.5rem}
.days a{display:block;padding:.625rem .875rem;border:2px solid var(--color-black-20,#ccc);border-radius:4px;min-height:44px;text-decoration:none}
.days a[aria-current]{border-color:var(--color-bus,#0000bf);background:var(--color-bus,#0000bf);color:#fff}
.facts{margin:0 0 1.5rem}
.facts dt{font-weight:700;margin-top:.75rem}
.facts dd{margin:0}
.hours{border-collapse:collapse;width:100%}
.hours th,.hours td{text-align:left;padding:.375rem .5rem .375rem 0;border-bottom:1px solid var(--color-black-10,#e6e6e6);vertical-align:top}
.reference{font-size:2.5rem;font-weight:700;letter-spacing:.08em;margin:.25rem 0 1rem}
.manage-link{word-break:break-all;font-size:1rem}
.field{margin:0 0 1.5rem}
.hds-text-input__label,.hds-selection-group__legend,.hds-checkbox__label,.hds-radio-button__label{font-size:1.125rem;color:var(--color-black-90,#1a1a1a)}
.hds-text-input__label,.hds-selection-group__legend{font-weight:600}
.hds-text-input__helper-text{font-size:1rem;color:var(--color-black-70,#4d4d4d)}
.hds-text-input__input,textarea.hds-text-input__input{font:inherit;min-height:56px}
textarea.hds-text-input__input{padding:.75rem}
.actions{display:flex;flex-wrap:wrap;gap:1rem;margin-top:1.5rem;list-style:none;padding:0}
.hds-button{font:inherit;min-height:56px;cursor:pointer;text-decoration:none}
.hds-error-summary{border:4px solid var(--color-error,#b01038);padding:1rem 1.25rem;margin:0 0 1.5rem}
.hds-error-summary h2{margin-top:0;font-size:1.375rem}
.hds-error-summary a{color:var(--color-error,#b01038);font-weight:700}
.error-text{color:var(--color-error,#b01038);font-weight:600;margin:.25rem 0}
.notice{border-left:6px solid var(--color-bus,#0000bf);background:var(--color-coat-of-arms-light,#e6f4ff);padding:1rem 1.25rem;margin:0 0 1.5rem}
.notice--alert{border-color:var(--color-alert-dark,#d18200);background:var(--color-alert-light,#fff4b4)}
.notice--success{border-color:var(--color-success,#007a64);background:var(--color-success-light,#e2f5f3)}
.notice p{margin:.25rem 0}
.site-footer{border-top:1px solid var(--color-black-20,#ccc);padding:1.5rem 0 2rem;margin-top:2rem}
.site-footer ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.5rem 1.5rem}
.site-footer a{display:inline-block;min-height:44px;padding:.5rem 0}
.code{font-family:ui-monospace,Consolas,monospace}
@media (min-width:48rem){h1{font-size:2.5rem}}
@media print{.site-header .lang-nav,.site-footer,.skip,.no-print,.back{display:none!important}body{font-size:12pt}.reference{font-size:28pt}a{color:#000}}
`;
