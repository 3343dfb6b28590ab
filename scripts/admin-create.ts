import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options';
import { migrate } from '../src/database/migrate';
import { UserEntity } from '../src/modules/users/entities/user.entity';
import { PasswordHasher } from '../src/modules/users/password-hasher';
import { fail, withDatabase } from './with-database';

/** npm run admin:create -- --email admin@example.fi --password '…' */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { email: { type: 'string' }, password: { type: 'string' } } });
  const email = values.email?.trim().toLowerCase();
  if (!email || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) fail('--email must be an e-mail address');
  if (!values.password || values.password.length < 12) fail('--password must be at least 12 characters long');
  await withDatabase(async (url) => {
    await migrate(url);
    const ds = await new DataSource(dataSourceOptions(url, 1)).initialize();
    try {
      const result = await ds
        .createQueryBuilder()
        .insert()
        .into(UserEntity)
        .values({ email, passwordHash: await new PasswordHasher().hash(values.password!), role: 'admin', locationIds: [] })
        .orIgnore()
        .execute();
      console.log(result.identifiers[0] ? `admin ${email} created` : `an account with ${email} exists already; nothing changed`);
    } finally {
      await ds.destroy();
    }
  });
}

main().catch(fail);
