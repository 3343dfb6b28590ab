import { applyDecorators, Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentUser } from '../../common/auth/current-user.decorator';
import type { Principal } from '../../common/auth/principal';
import { Roles } from '../../common/auth/roles.decorator';
import { etagOf } from '../../common/http/if-match';
import { uuidParam } from '../../common/http/uuid-param';
import { BookingDeskService, VersionedBooking } from './use-cases/booking-desk.service';
import { BookService } from './use-cases/book.service';
import { BookingView, RescheduleBookingDto } from './dto/booking.dto';
import { AgendaQuery, AgendaView, BookingListQuery, BookingListView, CompleteBookingDto, StaffBookingView, StaffCancelBookingDto, StaffCreateBookingDto } from './dto/staff.dto';

/** Responses carry residents' contact details (and maybe a manage token): never cached; the ETag is the version. */
function versioned(reply: FastifyReply, v: VersionedBooking): StaffBookingView {
  void reply.header('cache-control', 'no-store').header('etag', etagOf(v.version));
  return v.body;
}

const IF_MATCH = { name: 'If-Match', required: false, description: 'The ETag (version) you read; 412 when the booking has changed since' };

/** A lifecycle route: POST, 200 with the booking, If-Match honoured. */
function DeskAction(path: string, summary: string): MethodDecorator {
  return applyDecorators(Post(path), HttpCode(200), ApiOperation({ summary }), ApiHeader(IF_MATCH), ApiOkResponse({ type: StaffBookingView }));
}

/** Bookings for staff, tutors and admins (Bearer token): find, book on behalf, and the lifecycle. */
@ApiTags('bookings (staff)')
@ApiBearerAuth()
@Controller('bookings')
export class StaffBookingsController {
  constructor(
    private readonly booking: BookService,
    private readonly desk: BookingDeskService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Bookings the caller may see (admin all, staff their branches, a tutor own sessions), by start' })
  @ApiOkResponse({ type: BookingListView })
  async list(@CurrentUser() caller: Principal, @Query() query: BookingListQuery, @Res({ passthrough: true }) reply: FastifyReply) {
    void reply.header('cache-control', 'no-store');
    return this.desk.list(caller, query);
  }

  @Post('staff')
  @Roles('admin', 'staff')
  @HttpCode(201)
  @ApiOperation({ summary: "Book on a resident's behalf (phone, walk-in): no consent, no minimum notice; staff of the branch" })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Per user; the same key and body within 24 h returns the first response' })
  @ApiCreatedResponse({ type: StaffBookingView })
  async create(
    @CurrentUser() caller: Principal,
    @Body() dto: StaffCreateBookingDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<BookingView> {
    const { body, replayed } = await this.booking.createByStaff(caller, dto, { idempotencyKey });
    void reply.header('cache-control', 'no-store').header('etag', etagOf(body.version));
    if (replayed) void reply.header('idempotent-replayed', 'true');
    return body;
  }

  @Get(':id')
  @ApiOkResponse({ type: StaffBookingView })
  async get(@CurrentUser() caller: Principal, @Param('id', uuidParam) id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    return versioned(reply, await this.desk.get(caller, id));
  }

  @DeskAction(':id/check-in', 'confirmed → checked_in (staff, own tutor; from 30 min before the start until the end)')
  async checkIn(@CurrentUser() caller: Principal, @Param('id', uuidParam) id: string, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    return versioned(reply, await this.desk.checkIn(caller, id, ifMatch));
  }

  @DeskAction(':id/complete', 'confirmed or checked_in → completed with the outcome (staff, own tutor; from the start on)')
  async complete(@CurrentUser() caller: Principal, @Param('id', uuidParam) id: string, @Body() dto: CompleteBookingDto, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    return versioned(reply, await this.desk.complete(caller, id, dto, ifMatch));
  }

  @DeskAction(':id/no-show', 'confirmed → no_show (staff, own tutor; from the start on)')
  async noShow(@CurrentUser() caller: Principal, @Param('id', uuidParam) id: string, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    return versioned(reply, await this.desk.noShow(caller, id, ifMatch));
  }

  @DeskAction(':id/cancel', 'confirmed → cancelled with a reason (staff; any time before the end)')
  async cancel(@CurrentUser() caller: Principal, @Param('id', uuidParam) id: string, @Body() dto: StaffCancelBookingDto, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    return versioned(reply, await this.desk.cancel(caller, id, dto, ifMatch));
  }

  @DeskAction(':id/reschedule', 'Move to another free slot at the branch (staff; any time before the start; no minimum notice); atomic')
  async reschedule(@CurrentUser() caller: Principal, @Param('id', uuidParam) id: string, @Body() dto: RescheduleBookingDto, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    return versioned(reply, await this.desk.reschedule(caller, id, dto, ifMatch));
  }

  @DeskAction(':id/manage-link', 'A new manage token for the resident, shown only in this response; the old one stops working at once (staff)')
  async manageLink(@CurrentUser() caller: Principal, @Param('id', uuidParam) id: string, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    return versioned(reply, await this.desk.renewManageLink(caller, id, ifMatch));
  }
}

/** GET /locations/{id}/agenda: the branch's day (staff of the branch and admins; others 404). */
@ApiTags('bookings (staff)')
@ApiBearerAuth()
@Controller('locations/:id/agenda')
export class AgendaController {
  constructor(private readonly desk: BookingDeskService) {}

  @Get()
  @ApiOperation({ summary: "The day's sessions at the branch in start order (default: today in the branch's zone)" })
  @ApiOkResponse({ type: AgendaView })
  async agenda(@CurrentUser() caller: Principal, @Param('id', uuidParam) id: string, @Query() query: AgendaQuery, @Res({ passthrough: true }) reply: FastifyReply) {
    void reply.header('cache-control', 'no-store');
    return this.desk.agenda(caller, id, query);
  }
}
