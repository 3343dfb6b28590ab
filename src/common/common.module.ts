import { Global, Module } from '@nestjs/common';
import { ProblemsController } from './problem/problems.controller';
import { Housekeeping } from './housekeeping/housekeeping.service';
import { RateLimiter } from './rate-limit/rate-limiter.service';

/** Cross-cutting providers every module may use. */
@Global()
@Module({
  controllers: [ProblemsController],
  providers: [RateLimiter, Housekeeping],
  exports: [RateLimiter, Housekeeping],
})
export class CommonModule {}
