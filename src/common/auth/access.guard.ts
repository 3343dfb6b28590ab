import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { isDatabaseUnavailable } from '../problem/database-unavailable';
import { ProblemException } from '../problem/problem.exception';
import { Principal, Role } from './principal';
import { IDENTIFY_CALLER, IS_PUBLIC } from './public.decorator';
import { ROLES_KEY } from './roles.decorator';

/** The one global guard: deny by default, @Public() opens a route, @Roles() narrows it. */
@Injectable()
export class AccessGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) {
      if (this.reflector.getAllAndOverride<boolean>(IDENTIFY_CALLER, targets) && context.switchToHttp().getRequest().headers.authorization) {
        try {
          await super.canActivate(context);
        } catch (error) {
          // a bad token on a public route: the caller stays anonymous
          if (isDatabaseUnavailable(error)) throw error;
        }
      }
      return true;
    }
    await super.canActivate(context);
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    const user = context.switchToHttp().getRequest().user as Principal;
    if (roles && !roles.includes(user.role)) {
      throw new ProblemException('forbidden', 'Your role may not do this.');
    }
    return true;
  }

  /** A token that could not be checked because the database is away is not a bad token (503, not 401). */
  override handleRequest<T>(error: unknown, user: T): T {
    if (isDatabaseUnavailable(error)) throw error;
    if (error || !user) throw new ProblemException('unauthenticated', 'A valid access token is required.');
    return user;
  }
}
