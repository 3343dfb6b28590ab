import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { Principal } from '../../common/auth/principal';
import { deriveKey } from '../../common/crypto/keys';
import { Clock } from '../../common/time/clock';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { UsersService } from '../users/users.service';

export interface AccessTokenClaims {
  sub: string;
  /** The account's token generation: a password change ends older tokens. */
  gen: number;
  exp: number;
}

export const accessTokenKey = (secret: string) => deriveKey(secret, 'access-token');

/**
 * Verifies the bearer token and loads the account afresh on every request, so a disabled
 * account or a changed password ends its tokens at once. Expiry is checked against the
 * injected clock.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy) {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly users: UsersService,
    private readonly clock: Clock,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: accessTokenKey(config.auth.secret),
      algorithms: ['HS256'],
      ignoreExpiration: true,
    });
  }

  async validate(claims: AccessTokenClaims): Promise<Principal | false> {
    if (typeof claims.sub !== 'string' || typeof claims.gen !== 'number' || typeof claims.exp !== 'number') return false;
    if (claims.exp * 1000 <= this.clock.now().getTime()) return false;
    if (!/^[0-9a-f-]{36}$/i.test(claims.sub)) return false;
    return (await this.users.findForToken(claims.sub, claims.gen)) ?? false;
  }
}
