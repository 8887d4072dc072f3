import { Injectable } from '@nestjs/common';
import { hash, verify } from '@node-rs/argon2';

/**
 * argon2id with the library's defaults (19 MiB, 2 passes): the OWASP minimum.
 * `dummyVerify` makes a login for an unknown email cost the same as a wrong
 * password, so response time does not tell which emails have accounts.
 */
@Injectable()
export class PasswordHasher {
  private dummyHash: Promise<string> | undefined;

  hash(password: string): Promise<string> {
    return hash(password);
  }

  async verify(passwordHash: string, password: string): Promise<boolean> {
    try {
      return await verify(passwordHash, password);
    } catch {
      return false;
    }
  }

  async dummyVerify(password: string): Promise<false> {
    this.dummyHash ??= hash('not-a-real-password');
    await this.verify(await this.dummyHash, password);
    return false;
  }
}
