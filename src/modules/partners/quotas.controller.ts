import { Body, Controller, Delete, Get, HttpCode, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../../common/auth/current-user.decorator';
import type { Principal } from '../../common/auth/principal';
import { Roles } from '../../common/auth/roles.decorator';
import { uuidParam } from '../../common/http/uuid-param';
import { PutQuotaDto, QuotaQuery, QuotaView } from './dto/quota.dto';
import { QuotasService } from './quotas.service';

/** Hours per calendar month a partner may claim, partner-wide or at one branch (`?locationId=`). */
@ApiTags('partners')
@ApiBearerAuth()
@Controller('partners/:id/quota')
export class QuotasController {
  constructor(private readonly quotas: QuotasService) {}

  @Get()
  @ApiOkResponse({ type: QuotaView })
  @ApiOperation({ summary: 'The quota (admins; the partner’s own users read theirs); 404 when none is set' })
  get(@CurrentUser() caller: Principal, @Param('id', uuidParam) id: string, @Query() query: QuotaQuery) {
    return this.quotas.get(caller, id, query.locationId);
  }

  @Roles('admin')
  @Put()
  @ApiOkResponse({ type: QuotaView })
  @ApiOperation({ summary: 'Set the quota (admin); an unknown locationId is 422' })
  put(@CurrentUser() caller: Principal, @Param('id', uuidParam) id: string, @Query() query: QuotaQuery, @Body() dto: PutQuotaDto) {
    return this.quotas.put(caller, id, query.locationId, dto);
  }

  @Roles('admin')
  @Delete()
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiOperation({ summary: 'Remove the quota (admin); 404 when none is set' })
  async remove(@CurrentUser() caller: Principal, @Param('id', uuidParam) id: string, @Query() query: QuotaQuery): Promise<void> {
    await this.quotas.remove(caller, id, query.locationId);
  }
}
