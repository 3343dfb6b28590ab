import { Injectable } from '@nestjs/common';
import { hash, verify } from '@node-rs/argon2';

/** Argon2id (memory-hard) password hashing. */
@Injectable()
export class PasswordHasher {
  /** A real hash to compare against when the account does not exist, so both paths cost the same. */
  private readonly dummy = hash('tukiaika-dummy-password');

  hash(password: string): Promise<string> {
    return hash(password);
  }

  async verify(storedHash: string | undefined, password: string): Promise<boolean> {
    try {
      return await verify(storedHash ?? (await this.dummy), password);
    } catch {
      return false;
    }
  }
}
