import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentUser } from '../../common/auth/current-user.decorator';
import type { Principal } from '../../common/auth/principal';
import { Public, PublicIdentified } from '../../common/auth/public.decorator';
import { uuidParam } from '../../common/http/uuid-param';
import { CancelAffectedQuery } from './dto/location.dto';
import {
  AffectedBookingsView,
  ClosureCreatedView,
  ClosureListQuery,
  CreateClosureDto,
  CreateRoomDto,
  ExceptionDto,
  ExceptionListQuery,
  RoomView,
  WeeklyHoursDto,
} from './dto/schedule.dto';
import { ScheduleService, Tagged } from './schedule.service';

/**
 * A branch's public schedule and rooms. Reads are public (opening hours, exceptions, closures and
 * rooms of a public library are public information; closures are shown without bookings);
 * writes need staff of that branch or an admin.
 */
@ApiTags('locations')
@Controller('locations/:id')
export class ScheduleController {
  constructor(private readonly schedule: ScheduleService) {}

  @Get('weekly-hours')
  @Public()
  @ApiOperation({ summary: 'Weekly hours by period (ETag of the content)' })
  async weeklyHours(@Param('id', uuidParam) id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    return tagged(reply, await this.schedule.weeklyHours(id));
  }

  @Put('weekly-hours')
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Replace all weekly hours (staff of the branch; If-Match honoured)',
    description: 'affectedBookings lists the active bookings the new hours no longer cover; with cancelAffected the confirmed ones are cancelled, in the same transaction.',
  })
  async replaceWeeklyHours(
    @CurrentUser() caller: Principal,
    @Param('id', uuidParam) id: string,
    @Body() dto: WeeklyHoursDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return tagged(reply, await this.schedule.replaceWeeklyHours(caller, id, dto, ifMatch));
  }

  @Get('exceptions')
  @Public()
  @ApiOperation({ summary: 'Per-date exceptions, by date' })
  listExceptions(@Param('id', uuidParam) id: string, @Query() query: ExceptionListQuery) {
    return this.schedule.listExceptions(id, query);
  }

  @Get('exceptions/:date')
  @Public()
  async getException(@Param('id', uuidParam) id: string, @Param('date') date: string, @Res({ passthrough: true }) reply: FastifyReply) {
    return tagged(reply, await this.schedule.getException(id, date));
  }

  @Put('exceptions/:date')
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Set the hours of one date ([] = closed); beats weekly hours and holidays',
    description: 'affectedBookings lists the active bookings that day the new hours no longer cover; with cancelAffected the confirmed ones are cancelled.',
  })
  async putException(
    @CurrentUser() caller: Principal,
    @Param('id', uuidParam) id: string,
    @Param('date') date: string,
    @Body() dto: ExceptionDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return tagged(reply, await this.schedule.putException(caller, id, date, dto, ifMatch));
  }

  @Delete('exceptions/:date')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: "Remove a date's exception; affectedBookings lists the bookings the hours left no longer cover (cancelAffected=true cancels the confirmed ones)" })
  @ApiOkResponse({ type: AffectedBookingsView })
  deleteException(
    @CurrentUser() caller: Principal,
    @Param('id', uuidParam) id: string,
    @Param('date') date: string,
    @Query() query: CancelAffectedQuery,
    @Headers('if-match') ifMatch: string | undefined,
  ) {
    return this.schedule.deleteException(caller, id, date, { ifMatch, cancelAffected: query.cancelAffected });
  }

  @Get('closures')
  @Public()
  @ApiOperation({ summary: 'Closures, by start (filter with instants from/to)' })
  listClosures(@Param('id', uuidParam) id: string, @Query() query: ClosureListQuery) {
    return this.schedule.listClosures(id, query);
  }

  @Get('closures/:cid')
  @PublicIdentified()
  @ApiOperation({ summary: 'A closure; staff of the branch (with a token) also get the active bookings it covers' })
  @ApiOkResponse({ type: ClosureCreatedView })
  getClosure(@CurrentUser() caller: Principal | undefined, @Param('id', uuidParam) id: string, @Param('cid', uuidParam) cid: string) {
    return this.schedule.getClosure(caller, id, cid);
  }

  @Post('closures')
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Close the branch for a span of instants (part of a day or many days)',
    description: 'affectedBookings lists the active bookings it covers; with cancelAffected the confirmed ones are cancelled with the reason, in the same transaction.',
  })
  @ApiCreatedResponse({ type: ClosureCreatedView })
  createClosure(@CurrentUser() caller: Principal, @Param('id', uuidParam) id: string, @Body() dto: CreateClosureDto) {
    return this.schedule.createClosure(caller, id, dto);
  }

  @Delete('closures/:cid')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiNoContentResponse()
  async deleteClosure(@CurrentUser() caller: Principal, @Param('id', uuidParam) id: string, @Param('cid', uuidParam) cid: string): Promise<void> {
    await this.schedule.deleteClosure(caller, id, cid);
  }

  @Get('rooms')
  @Public()
  @ApiOperation({ summary: 'Rooms of the branch (all of them; nextCursor is always null)' })
  rooms(@Param('id', uuidParam) id: string) {
    return this.schedule.rooms(id);
  }

  @Get('rooms/:rid')
  @Public()
  @ApiOkResponse({ type: RoomView })
  room(@Param('id', uuidParam) id: string, @Param('rid', uuidParam) rid: string) {
    return this.schedule.room(id, rid);
  }

  @Post('rooms')
  @ApiBearerAuth()
  @ApiCreatedResponse({ type: RoomView })
  createRoom(@CurrentUser() caller: Principal, @Param('id', uuidParam) id: string, @Body() dto: CreateRoomDto) {
    return this.schedule.createRoom(caller, id, dto);
  }

  @Delete('rooms/:rid')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiNoContentResponse()
  async deleteRoom(@CurrentUser() caller: Principal, @Param('id', uuidParam) id: string, @Param('rid', uuidParam) rid: string): Promise<void> {
    await this.schedule.deleteRoom(caller, id, rid);
  }
}

function tagged<T>(reply: FastifyReply, value: Tagged<T>): T {
  void reply.header('etag', value.etag);
  return value.body;
}
