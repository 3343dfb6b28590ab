import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { Principal } from './principal';

/** The authenticated caller (undefined on public routes). */
export const CurrentUser = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Principal => ctx.switchToHttp().getRequest().user,
);
