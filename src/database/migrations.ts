import { Foundation1763900000000 } from '../../migrations/1763900000000-Foundation';

/** Every migration, in order. Listed by hand so the app, the CLI and the tests run the same set. */
export const MIGRATIONS = [Foundation1763900000000];
