import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentUser } from '../../common/auth/current-user.decorator';
import type { Principal } from '../../common/auth/principal';
import { Public } from '../../common/auth/public.decorator';
import { Roles } from '../../common/auth/roles.decorator';
import { etagOf } from '../../common/http/if-match';
import { uuidParam } from '../../common/http/uuid-param';
import { AffectedBookingsView } from './dto/schedule.dto';
import {
  CancelAffectedQuery,
  CreateLocationDto,
  LocationListQuery,
  LocationView,
  MunicipalityView,
  OpeningHoursQuery,
  OpeningHoursView,
  UpdateLocationDto,
} from './dto/location.dto';
import { LocationsService } from './locations.service';
import { ScheduleService } from './schedule.service';

@ApiTags('locations')
@Controller('locations')
export class LocationsController {
  constructor(
    private readonly locations: LocationsService,
    private readonly schedule: ScheduleService,
  ) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Library branches in use (public); filter by municipality code and words' })
  list(@Query() query: LocationListQuery) {
    return this.locations.list(query);
  }

  @Get(':id')
  @Public()
  @ApiOkResponse({ type: LocationView })
  async get(@Param('id', uuidParam) id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    return withEtag(reply, await this.locations.get(id));
  }

  @Post()
  @Roles('admin')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Create a branch (admin)' })
  @ApiCreatedResponse({ type: LocationView })
  async create(@CurrentUser() caller: Principal, @Body() dto: CreateLocationDto, @Res({ passthrough: true }) reply: FastifyReply) {
    return withEtag(reply, await this.locations.create(caller, dto));
  }

  @Patch(':id')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Edit a branch (admin; staff of that branch). If-Match honoured.' })
  @ApiOkResponse({ type: LocationView })
  async update(
    @CurrentUser() caller: Principal,
    @Param('id', uuidParam) id: string,
    @Body() dto: UpdateLocationDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.locations.update(caller, id, dto, ifMatch));
  }

  @Delete(':id')
  @HttpCode(200)
  @Roles('admin')
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Take a branch out of use (admin; soft: active = false; memberships and rules stay). If-Match honoured.',
    description: 'affectedBookings lists the active bookings there that have not ended; with cancelAffected=true the confirmed ones are cancelled, in the same transaction.',
  })
  @ApiOkResponse({ type: AffectedBookingsView })
  remove(
    @CurrentUser() caller: Principal,
    @Param('id', uuidParam) id: string,
    @Query() query: CancelAffectedQuery,
    @Headers('if-match') ifMatch: string | undefined,
  ) {
    return this.schedule.removeLocation(caller, id, { ifMatch, cancelAffected: query.cancelAffected });
  }

  @Get(':id/opening-hours')
  @Public()
  @ApiOperation({ summary: 'Resolved opening hours by local date (weekly hours, exceptions, holidays, closures)' })
  @ApiOkResponse({ type: OpeningHoursView })
  openingHours(@Param('id', uuidParam) id: string, @Query() query: OpeningHoursQuery) {
    return this.locations.openingHours(id, query);
  }
}

@ApiTags('locations')
@Controller('municipalities')
export class MunicipalitiesController {
  constructor(private readonly locations: LocationsService) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Finnish municipalities by official code (public)' })
  @ApiOkResponse({ type: [MunicipalityView] })
  list() {
    return this.locations.municipalities();
  }
}

function withEtag<T extends { version: number }>(reply: FastifyReply, view: T): T {
  void reply.header('etag', etagOf(view.version));
  return view;
}
