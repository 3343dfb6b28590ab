import type { Principal } from '../auth/principal';
import { isAdmin } from './roles';

/** Inactive topics are listed and shown to admins only. */
export function maySeeInactiveTopics(caller: Principal | undefined): boolean {
  return !!caller && isAdmin(caller);
}
