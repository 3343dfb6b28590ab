import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';

export const IS_PUBLIC = 'tukiaika:public';

/** Opens a route to anonymous callers; every other route needs a valid token. */
export const Public = () => applyDecorators(SetMetadata(IS_PUBLIC, true), ApiExtension('x-public', true));

export const IDENTIFY_CALLER = 'tukiaika:identify-caller';

/**
 * A public route that also recognises a caller who sends a valid token (e.g. admins see
 * inactive topics in the public list). A missing or bad token leaves the caller anonymous:
 * `@CurrentUser()` is then undefined.
 */
export const PublicIdentified = () => applyDecorators(Public(), SetMetadata(IDENTIFY_CALLER, true));
