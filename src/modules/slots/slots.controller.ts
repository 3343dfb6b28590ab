import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../../common/auth/public.decorator';
import { SlotQueryDto } from './dto/slot.dto';
import { SlotsService } from './slots.service';

@ApiTags('slots')
@Controller('slots')
export class SlotsController {
  constructor(private readonly slots: SlotsService) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'Free slots, earliest first (then location, then tutor); at most 62 days' })
  search(@Query() query: SlotQueryDto) {
    return this.slots.search(query);
  }
}
