import { Body, Controller, Get, Headers, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentUser } from '../../common/auth/current-user.decorator';
import type { Principal } from '../../common/auth/principal';
import { Roles } from '../../common/auth/roles.decorator';
import { etagOf } from '../../common/http/if-match';
import { uuidParam } from '../../common/http/uuid-param';
import { CreateTutorDto, TutorListQuery, TutorListView, TutorView, UpdateTutorDto } from './dto/tutor.dto';
import { TutorsService } from './tutors.service';

/**
 * Tutors are not public: residents meet a tutor's display name in slots and bookings only.
 * Admins see all; staff the tutors at their branches; a tutor account its own tutor; a partner
 * account its advisors.
 */
@ApiTags('tutors')
@ApiBearerAuth()
@Controller('tutors')
export class TutorsController {
  constructor(private readonly tutors: TutorsService) {}

  @Get()
  @ApiOkResponse({ type: TutorListView })
  @ApiOperation({ summary: 'Tutors the caller may see, by display name' })
  list(@CurrentUser() caller: Principal, @Query() query: TutorListQuery) {
    return this.tutors.list(caller, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: TutorView })
  async get(@CurrentUser() caller: Principal, @Param('id', uuidParam) id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    return withEtag(reply, await this.tutors.get(caller, id));
  }

  @Roles('admin', 'staff')
  @Post()
  @ApiCreatedResponse({ type: TutorView })
  @ApiOperation({ summary: 'Add a tutor (staff: at their own branches; advisors: admin)' })
  async create(@CurrentUser() caller: Principal, @Body() dto: CreateTutorDto, @Res({ passthrough: true }) reply: FastifyReply) {
    return withEtag(reply, await this.tutors.create(caller, dto));
  }

  @Roles('admin', 'staff')
  @Patch(':id')
  @ApiOkResponse({ type: TutorView })
  @ApiOperation({ summary: "Change a tutor; staff add or remove only their own branches in locationIds" })
  async update(
    @CurrentUser() caller: Principal,
    @Param('id', uuidParam) id: string,
    @Body() dto: UpdateTutorDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.tutors.update(caller, id, dto, ifMatch));
  }
}

function withEtag<T extends { version: number }>(reply: FastifyReply, view: T): T {
  void reply.header('etag', etagOf(view.version));
  return view;
}
