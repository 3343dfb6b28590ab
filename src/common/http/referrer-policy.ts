/**
 * Requests whose URL holds a resident's manage token, or whose answer shows one (creating a
 * booking, renewing its link): their pages must not pass the URL on as a Referer.
 */
const MANAGE_TOKEN_ROUTES: { method?: string; path: RegExp }[] = [
  { path: /^\/api\/v1\/bookings\/manage\// },
  { method: 'POST', path: /^\/api\/v1\/bookings\/?$/ },
  { method: 'POST', path: /^\/api\/v1\/bookings\/staff\/?$/ },
  { method: 'POST', path: /^\/api\/v1\/bookings\/[^/]+\/manage-link\/?$/ },
];

export function involvesManageToken(method: string, url: string): boolean {
  const path = url.split('?', 1)[0];
  return MANAGE_TOKEN_ROUTES.some((r) => (r.method === undefined || r.method === method) && r.path.test(path));
}
