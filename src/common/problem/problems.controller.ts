import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/public.decorator';
import { isProblemCode, PROBLEM_TYPES } from './problem-types';
import { ProblemException } from './problem.exception';

/** Human-readable descriptions of the problem types, at the URIs their `type` names. */
@ApiTags('problems')
@Controller('problems')
export class ProblemsController {
  @Public()
  @Get()
  @ApiOperation({ summary: 'All problem types' })
  list() {
    return { items: Object.entries(PROBLEM_TYPES).map(([code, t]) => ({ type: `/problems/${code}`, code, ...t })) };
  }

  @Public()
  @Get(':code')
  @ApiOperation({ summary: 'One problem type' })
  describe(@Param('code') code: string) {
    if (!isProblemCode(code)) throw ProblemException.notFound('problem type');
    return { type: `/problems/${code}`, code, ...PROBLEM_TYPES[code] };
  }
}
