import { Body, Controller, Get, Headers, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentUser } from '../../common/auth/current-user.decorator';
import type { Principal } from '../../common/auth/principal';
import { Roles } from '../../common/auth/roles.decorator';
import { withEtag } from '../../common/http/if-match';
import { uuidParam } from '../../common/http/uuid-param';
import { CreatePartnerDto, PartnerListQuery, PartnerListView, PartnerView, UpdatePartnerDto } from './dto/partner.dto';
import { PartnersService } from './partners.service';

/** Partner organisations: admins see and manage all; a partner's users see theirs (404 for the rest). */
@ApiTags('partners')
@ApiBearerAuth()
@Controller('partners')
export class PartnersController {
  constructor(private readonly partners: PartnersService) {}

  @Get()
  @ApiOkResponse({ type: PartnerListView })
  @ApiOperation({ summary: 'Partners the caller may see (admin: all; a partner user: its own), by Finnish name' })
  list(@CurrentUser() caller: Principal, @Query() query: PartnerListQuery) {
    return this.partners.list(caller, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: PartnerView })
  async get(@CurrentUser() caller: Principal, @Param('id', uuidParam) id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    return withEtag(reply, await this.partners.get(caller, id));
  }

  @Roles('admin')
  @Post()
  @ApiCreatedResponse({ type: PartnerView })
  @ApiOperation({ summary: 'Add a partner organisation (admin)' })
  async create(@CurrentUser() caller: Principal, @Body() dto: CreatePartnerDto, @Res({ passthrough: true }) reply: FastifyReply) {
    return withEtag(reply, await this.partners.create(caller, dto));
  }

  @Roles('admin', 'partner')
  @Patch(':id')
  @ApiOkResponse({ type: PartnerView })
  @ApiOperation({ summary: 'Change a partner (admin); its own users change its contact. `active: false` with `reason` deactivates it' })
  async update(
    @CurrentUser() caller: Principal,
    @Param('id', uuidParam) id: string,
    @Body() dto: UpdatePartnerDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.partners.update(caller, id, dto, ifMatch));
  }
}
