import { ParseUUIDPipe } from '@nestjs/common';
import { ProblemException } from '../problem/problem.exception';

/** A path id that is not a UUID cannot name anything: 404, as for an unknown id. */
export const uuidParam = new ParseUUIDPipe({ exceptionFactory: () => ProblemException.notFound() });
