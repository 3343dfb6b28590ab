import { Global, Module } from '@nestjs/common';
import { ProblemsController } from './problem/problems.controller';
import { Housekeeping } from './housekeeping/housekeeping.service';
import { RateLimiter } from './rate-limit/rate-limiter.service';
import { Pause } from './time/pause';

/** Cross-cutting providers every module may use. */
@Global()
@Module({
  controllers: [ProblemsController],
  providers: [RateLimiter, Housekeeping, Pause],
  exports: [RateLimiter, Housekeeping, Pause],
})
export class CommonModule {}
