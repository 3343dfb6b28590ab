import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { Principal } from '../../common/auth/principal';
import { ProblemException } from '../../common/problem/problem.exception';
import { RateLimiter } from '../../common/rate-limit/rate-limiter.service';
import { Clock } from '../../common/time/clock';
import { Pause } from '../../common/time/pause';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { PasswordHasher } from '../users/password-hasher';
import { UsersService } from '../users/users.service';
import { TokenView } from './dto/auth.dto';
import { accessTokenKey } from './jwt.strategy';
import { accountDelayMs, loginFailureKeys } from './login-throttle';

@Injectable()
export class AuthService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly jwt: JwtService,
    private readonly limiter: RateLimiter,
    private readonly clock: Clock,
    private readonly pause: Pause,
  ) {}

  /**
   * Unknown account, wrong password and disabled account give the same 401 after the same work.
   * Failures, not attempts, are counted (sliding windows): one address may fail an account
   * `loginFailuresPerAccountIp` times and all accounts `loginPerIp` times before it gets 429;
   * past `loginFailuresPerAccount` failures from all addresses, every attempt on the account
   * waits longer instead of being refused, so nobody can lock the owner out from elsewhere.
   */
  async login(email: string, password: string, ip: string): Promise<TokenView> {
    const { loginPerIp, loginFailuresPerAccountIp, loginFailuresPerAccount, windowSeconds } = this.config.rateLimit;
    const normalised = email.trim().toLowerCase();
    const keys = loginFailureKeys(normalised, ip);
    const failures = await this.limiter.slidingCounts([keys.accountIp, keys.ip, keys.account], windowSeconds);
    if (failures.get(keys.accountIp)! >= loginFailuresPerAccountIp || failures.get(keys.ip)! >= loginPerIp) {
      throw RateLimiter.refusal(this.limiter.window(windowSeconds));
    }
    await this.pause.wait(accountDelayMs(failures.get(keys.account)!, loginFailuresPerAccount));
    const user = await this.users.findByEmail(normalised);
    const passwordOk = await this.hasher.verify(user?.passwordHash, password);
    if (!user || !passwordOk || !user.active) {
      await this.limiter.record([keys.accountIp, keys.ip, keys.account], windowSeconds);
      throw new ProblemException('unauthenticated', 'The e-mail or password is wrong, or the account is disabled.');
    }
    return this.issueToken(user.id, user.tokenGeneration);
  }

  /** Changes the password and answers a fresh token: every older token of the account ends. */
  async changePassword(caller: Principal, current: string, next: string): Promise<TokenView> {
    const user = await this.users.findByEmail(caller.email);
    if (!user || !(await this.hasher.verify(user.passwordHash, current))) {
      throw ProblemException.validation('current', 'wrong-password', 'The current password is wrong.');
    }
    await this.users.changePassword(user.id, next);
    return this.issueToken(user.id, user.tokenGeneration + 1);
  }

  private async issueToken(userId: string, generation: number): Promise<TokenView> {
    const nowSeconds = Math.floor(this.clock.now().getTime() / 1000);
    const exp = nowSeconds + this.config.auth.tokenTtlSeconds;
    const accessToken = await this.jwt.signAsync(
      { sub: userId, gen: generation, iat: nowSeconds, exp },
      { secret: accessTokenKey(this.config.auth.secret), algorithm: 'HS256' },
    );
    return { accessToken, expiresAt: new Date(exp * 1000).toISOString().replace('.000Z', 'Z') };
  }
}
