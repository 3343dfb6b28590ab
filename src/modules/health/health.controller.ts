import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Public } from '../../common/auth/public.decorator';
import { DATABASE_RETRY_AFTER_SECONDS } from '../../common/problem/database-unavailable';
import { ProblemException } from '../../common/problem/problem.exception';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly db: DataSource) {}

  @Public()
  @Get('live')
  @ApiOperation({ summary: 'The process answers' })
  live() {
    return { status: 'ok' };
  }

  @Public()
  @Get('ready')
  @ApiOperation({ summary: 'The database answers; 503 while it does not' })
  async ready() {
    try {
      await Promise.race([
        this.db.query('SELECT 1'),
        new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000).unref()),
      ]);
      return { status: 'ok', database: 'ok' };
    } catch {
      throw new ProblemException('service-unavailable', 'The database cannot be reached.', undefined, { 'retry-after': String(DATABASE_RETRY_AFTER_SECONDS) });
    }
  }
}
