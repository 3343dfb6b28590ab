/** The failure counters one login attempt is judged by, and adds to when it fails. */
export function loginFailureKeys(email: string, ip: string): { accountIp: string; ip: string; account: string } {
  return {
    accountIp: `login:fail:account-ip:${email}:${ip}`,
    ip: `login:ip:${ip}`,
    account: `login:fail:account:${email}`,
  };
}

export const LOGIN_DELAY_STEP_MS = 250;
export const LOGIN_DELAY_MAX_MS = 30_000;

/**
 * How long an attempt on an account waits once the account's failures from all addresses reach
 * the ceiling: a quarter second more for each failure past it, at most 30 s. The attempt is then
 * judged like any other, so the owner, with the right password, still gets in.
 */
export function accountDelayMs(failures: number, ceiling: number): number {
  if (failures < ceiling) return 0;
  return Math.min(LOGIN_DELAY_MAX_MS, LOGIN_DELAY_STEP_MS * (Math.floor(failures - ceiling) + 1));
}
