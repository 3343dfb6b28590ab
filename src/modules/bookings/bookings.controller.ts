import { Body, Controller, Get, Headers, HttpCode, Ip, Param, Post, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../../common/auth/public.decorator';
import { BookService } from './use-cases/book.service';
import { CancelService } from './use-cases/cancel.service';
import { LostLinkService } from './use-cases/lost-link.service';
import { ManageLinkService } from './use-cases/manage-link.service';
import { RescheduleService } from './use-cases/reschedule.service';
import { BookingView, CancelBookingDto, CreateBookingDto, RescheduleBookingDto, ResendManageLinkDto } from './dto/booking.dto';

/** Responses carry a resident's contact details or a manage token: never cached. */
function private_(reply: FastifyReply): void {
  void reply.header('cache-control', 'no-store');
}

@ApiTags('bookings')
@Controller('bookings')
export class BookingsController {
  constructor(
    private readonly booking: BookService,
    private readonly links: ManageLinkService,
    private readonly cancelling: CancelService,
    private readonly rescheduling: RescheduleService,
    private readonly lostLinks: LostLinkService,
  ) {}

  @Post('manage-link/resend')
  @Public()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Lost link: a new manage link to the contact a booking was made with (the old link dies). The same 202 whether or not anything matched; rate-limited',
  })
  @ApiAcceptedResponse({ description: 'Accepted; if the reference and contact match an active booking, a new link is on its way to that contact' })
  async resendLink(@Body() dto: ResendManageLinkDto, @Ip() ip: string): Promise<void> {
    await this.lostLinks.resend(dto, ip);
  }

  @Post()
  @Public()
  @HttpCode(201)
  @ApiOperation({ summary: 'Book a free slot (public). The response holds the manage token; keep it.' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Repeat the request with the same key to get the first response again (24 h)' })
  @ApiCreatedResponse({ type: BookingView })
  async create(
    @Body() dto: CreateBookingDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Ip() ip: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<BookingView> {
    const { body, replayed } = await this.booking.create(dto, { ip, idempotencyKey });
    private_(reply);
    if (replayed) void reply.header('idempotent-replayed', 'true');
    return body;
  }

  @Get('manage/:token')
  @Public()
  @ApiOperation({ summary: 'The booking of a manage token (without the token)' })
  @ApiOkResponse({ type: BookingView })
  async view(@Param('token') token: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<BookingView> {
    private_(reply);
    return this.links.viewByToken(token);
  }

  @Post('manage/:token/cancel')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel, until the library’s deadline before the start' })
  @ApiOkResponse({ type: BookingView })
  async cancel(@Param('token') token: string, @Body() dto: CancelBookingDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<BookingView> {
    private_(reply);
    return this.cancelling.byToken(token, dto);
  }

  @Post('manage/:token/reschedule')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Move to another free slot at the same branch, keeping id, reference and token; the old time stays if the new one fails' })
  @ApiOkResponse({ type: BookingView })
  async reschedule(@Param('token') token: string, @Body() dto: RescheduleBookingDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<BookingView> {
    private_(reply);
    return this.rescheduling.byToken(token, dto);
  }

  @Get('manage/:token/calendar.ics')
  @Public()
  @ApiOperation({ summary: 'The booking as an iCalendar file (UID stable, SEQUENCE rising, STATUS:CANCELLED once cancelled)' })
  @ApiProduces('text/calendar')
  @ApiOkResponse({ description: 'text/calendar' })
  async calendar(@Param('token') token: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const { filename, body } = await this.links.calendarByToken(token);
    private_(reply);
    void reply.header('content-type', 'text/calendar; charset=utf-8').header('content-disposition', `attachment; filename="${filename}"`);
    return body;
  }
}
