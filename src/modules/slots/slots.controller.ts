import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../../common/auth/public.decorator';
import { SlotQueryDto } from './dto/slot.dto';
import { slotPageJson } from './slot-page-json';
import { SlotsService } from './slots.service';

@ApiTags('slots')
@Controller('slots')
export class SlotsController {
  constructor(private readonly slots: SlotsService) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'Free slots, earliest first (then location, then tutor); at most 62 days' })
  async search(@Query() query: SlotQueryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<Buffer> {
    const page = await this.slots.search(query);
    // Set only on success: a problem answer keeps its own type.
    void reply.type('application/json; charset=utf-8');
    return slotPageJson(page);
  }
}
