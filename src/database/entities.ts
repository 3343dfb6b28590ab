import { UserEntity } from '../modules/users/entities/user.entity';

/** Every entity; one list for the app, the migration CLI and the tests. */
export const ENTITIES = [UserEntity];
