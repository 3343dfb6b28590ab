import { randomBytes } from 'node:crypto';
import { Role } from '../../src/common/auth/principal';
import { PasswordHasher } from '../../src/modules/users/password-hasher';
import { TestApp } from './test-app';

export interface TestUser {
  id: string;
  email: string;
  password: string;
  token: string;
  auth: { Authorization: string };
}

export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}-${randomBytes(4).toString('hex')}@example.fi`;
}

/** Inserts an account directly and logs it in over HTTP. */
export async function newUser(
  t: TestApp,
  fields: { role?: Role; locationIds?: string[]; tutorId?: string | null; partnerId?: string | null; active?: boolean } = {},
): Promise<TestUser> {
  const role = fields.role ?? 'admin';
  const email = uniqueEmail(role);
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const hash = await t.app.get(PasswordHasher).hash(password);
  const [{ id }] = await t.db.query(
    `INSERT INTO users (email, password_hash, role, location_ids, tutor_id, partner_id)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [email, hash, role, fields.locationIds ?? [], fields.tutorId ?? null, fields.partnerId ?? null],
  );
  const login = await t.http.post('/api/v1/auth/login').send({ email, password }).expect(200);
  if (fields.active === false) await t.db.query('UPDATE users SET active = false WHERE id = $1', [id]);
  const token = login.body.accessToken as string;
  return { id, email, password, token, auth: { Authorization: `Bearer ${token}` } };
}
