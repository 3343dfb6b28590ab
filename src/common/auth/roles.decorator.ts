import { SetMetadata } from '@nestjs/common';
import { Role } from './principal';

export const ROLES_KEY = 'tukiaika:roles';

/** Names the roles allowed on a route (others get 403); scope checks stay in services. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
