import { PROBLEM_TYPES, ProblemCode } from './problem-types';
import { FieldError } from './problem.exception';

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
  requestId?: string;
  [extension: string]: unknown;
}

export function problemBody(
  code: ProblemCode,
  detail?: string,
  errors?: FieldError[],
  extensions?: Record<string, unknown>,
): ProblemBody {
  const { status, title } = PROBLEM_TYPES[code];
  return {
    ...extensions,
    type: `/problems/${code}`,
    title,
    status,
    ...(detail ? { detail } : {}),
    ...(errors?.length ? { errors } : {}),
  };
}
