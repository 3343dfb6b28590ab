import { Body, Controller, Get, Headers, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentUser } from '../../common/auth/current-user.decorator';
import type { Principal } from '../../common/auth/principal';
import { Roles } from '../../common/auth/roles.decorator';
import { withEtag } from '../../common/http/if-match';
import { uuidParam } from '../../common/http/uuid-param';
import { TutorListView, TutorView } from '../tutors/dto/tutor.dto';
import { AdvisorsService } from './advisors.service';
import { AdvisorListQuery, CreateAdvisorDto, UpdateAdvisorDto } from './dto/advisor.dto';

/** Advisors: tutors with kind `advisor` and this partnerId, managed by the partner's users and admins. */
@ApiTags('partners')
@ApiBearerAuth()
@Controller('partners/:id/advisors')
export class AdvisorsController {
  constructor(private readonly advisors: AdvisorsService) {}

  @Get()
  @ApiOkResponse({ type: TutorListView })
  @ApiOperation({ summary: "The partner's advisors, by display name" })
  list(@CurrentUser() caller: Principal, @Param('id', uuidParam) id: string, @Query() query: AdvisorListQuery) {
    return this.advisors.list(caller, id, query);
  }

  @Get(':tid')
  @ApiOkResponse({ type: TutorView })
  async get(
    @CurrentUser() caller: Principal,
    @Param('id', uuidParam) id: string,
    @Param('tid', uuidParam) tid: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.advisors.get(caller, id, tid));
  }

  @Roles('admin', 'partner')
  @Post()
  @ApiCreatedResponse({ type: TutorView })
  @ApiOperation({ summary: 'Add an advisor to the partner (its users, admins)' })
  async create(
    @CurrentUser() caller: Principal,
    @Param('id', uuidParam) id: string,
    @Body() dto: CreateAdvisorDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.advisors.create(caller, id, dto));
  }

  @Roles('admin', 'partner')
  @Patch(':tid')
  @ApiOkResponse({ type: TutorView })
  @ApiOperation({ summary: "Change an advisor's name, contacts, topics, languages or active" })
  async update(
    @CurrentUser() caller: Principal,
    @Param('id', uuidParam) id: string,
    @Param('tid', uuidParam) tid: string,
    @Body() dto: UpdateAdvisorDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.advisors.update(caller, id, tid, dto, ifMatch));
  }
}
