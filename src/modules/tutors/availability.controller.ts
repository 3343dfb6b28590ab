import { Body, Controller, Get, Headers, Param, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentUser } from '../../common/auth/current-user.decorator';
import type { Principal } from '../../common/auth/principal';
import { Roles } from '../../common/auth/roles.decorator';
import { uuidParam } from '../../common/http/uuid-param';
import { AvailabilityResult, AvailabilityService } from './availability.service';
import { AvailabilityDto, AvailabilityPutQuery, AvailabilityQuery, AvailabilityView, ReplacedAvailabilityView } from './dto/availability.dto';

@ApiTags('tutors')
@ApiBearerAuth()
@Controller('tutors/:id/availability')
export class AvailabilityController {
  constructor(private readonly availability: AvailabilityService) {}

  @Get()
  @ApiOkResponse({ type: AvailabilityView })
  @ApiOperation({ summary: "The tutor's weekly rules (all branches, or one); ETag of their content" })
  async get(
    @CurrentUser() caller: Principal,
    @Param('id', uuidParam) id: string,
    @Query() query: AvailabilityQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.availability.get(caller, id, query.locationId));
  }

  @Roles('admin', 'staff')
  @Put()
  @ApiOkResponse({ type: ReplacedAvailabilityView })
  @ApiOperation({
    summary: "Replace the tutor's rules at one branch (its staff or an admin)",
    description:
      'Rules may not overlap any other rule of the tutor, at any branch: 422 rule-overlap names the clashing rule. ' +
      'affectedBookings lists the bookings at this branch, not started yet, that the new rules no longer cover (they are not changed).',
  })
  async replace(
    @CurrentUser() caller: Principal,
    @Param('id', uuidParam) id: string,
    @Query() query: AvailabilityPutQuery,
    @Body() dto: AvailabilityDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const replaced = await this.availability.replace(caller, id, query.locationId, dto, ifMatch);
    return { ...withEtag(reply, replaced), affectedBookings: replaced.affectedBookings };
  }
}

function withEtag(reply: FastifyReply, result: AvailabilityResult): AvailabilityView {
  void reply.header('etag', result.etag);
  return { rules: result.rules };
}
