import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentUser } from '../../common/auth/current-user.decorator';
import type { Principal } from '../../common/auth/principal';
import { Roles } from '../../common/auth/roles.decorator';
import { uuidParam } from '../../common/http/uuid-param';
import { PartnerBookingListQuery, PartnerBookingListView } from './dto/partner.dto';
import { BookingDeskService } from './use-cases/booking-desk.service';

/** What a partner organisation sees of the sessions residents booked in its claims. */
@ApiTags('partners')
@ApiBearerAuth()
@Controller('partners')
export class PartnerBookingsController {
  constructor(private readonly desk: BookingDeskService) {}

  @Get(':id/bookings')
  @Roles('admin', 'partner')
  @ApiOperation({
    summary: "Sessions booked in the partner's claims, by start: first name only, contact details only where the branch shares them (the partner's users and admins)",
  })
  @ApiOkResponse({ type: PartnerBookingListView })
  @ApiResponse({ status: 403, description: 'forbidden (staff and tutors: not a partner route of theirs)' })
  @ApiResponse({ status: 404, description: 'not-found (another partner, or none with this id)' })
  @ApiResponse({ status: 422, description: 'validation-failed (from, to, status, limit, cursor; claimId not one of this partner’s: unknown-claim)' })
  async list(@CurrentUser() caller: Principal, @Param('id', uuidParam) id: string, @Query() query: PartnerBookingListQuery, @Res({ passthrough: true }) reply: FastifyReply) {
    void reply.header('cache-control', 'no-store');
    return this.desk.listForPartner(caller, id, query);
  }
}
