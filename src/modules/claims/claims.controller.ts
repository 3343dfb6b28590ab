import { applyDecorators, Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentUser } from '../../common/auth/current-user.decorator';
import type { Principal } from '../../common/auth/principal';
import { Roles } from '../../common/auth/roles.decorator';
import { etagOf } from '../../common/http/if-match';
import { uuidParam } from '../../common/http/uuid-param';
import { CancelledClaimView, ClaimListQuery, ClaimListView, ClaimView, CreateClaimDto, CreatedClaimsView, ReasonDto, SeriesDecisionView } from './dto/claim.dto';
import { ClaimWorkflowService } from './use-cases/claim-workflow.service';
import { FindClaimsService } from './use-cases/find-claims.service';
import { RequestClaimsService } from './use-cases/request-claims.service';

const PROBLEM = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };

/** The problem types a route answers beyond the common ones (API.md), by status. */
function Problems(byStatus: Record<number, string>): MethodDecorator {
  return applyDecorators(...Object.entries(byStatus).map(([status, types]) => ApiResponse({ status: Number(status), description: types, content: PROBLEM })));
}

const TRANSITION = { 404: 'not-found (not your claim)', 403: 'forbidden (the other side’s act)', 409: 'invalid-transition' };

function versioned(reply: FastifyReply, v: ClaimView): ClaimView {
  void reply.header('cache-control', 'no-store').header('etag', etagOf(v.version));
  return v;
}

/** POST /partners/{id}/claims: a partner's users (or an admin) request room-hours at a branch. */
@ApiTags('claims')
@ApiBearerAuth()
@Controller('partners/:id/claims')
export class PartnerClaimsController {
  constructor(private readonly requests: RequestClaimsService) {}

  @Post()
  @Roles('admin', 'partner')
  @HttpCode(201)
  @ApiOperation({ summary: 'Request a claim, or a weekly series of them (same local wall time on every date); all requested' })
  @ApiCreatedResponse({ type: CreatedClaimsView })
  @Problems({ 404: 'not-found (another partner)', 403: 'forbidden (partner not active; not a partner user)', 422: 'validation-failed, quota-exceeded (limit, used, asked, month, scope)' })
  request(@CurrentUser() caller: Principal, @Param('id', uuidParam) id: string, @Body() dto: CreateClaimDto) {
    return this.requests.request(caller, id, dto);
  }
}

/** Claims: what the caller may see (partner its own, staff their branches, admin all), and the workflow. */
@ApiTags('claims')
@ApiBearerAuth()
@Controller('claims')
export class ClaimsController {
  constructor(
    private readonly find: FindClaimsService,
    private readonly workflow: ClaimWorkflowService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Claims the caller may see, by start' })
  @ApiOkResponse({ type: ClaimListView })
  @Problems({ 422: 'validation-failed (status, dates, unknown locationId or partnerId)' })
  list(@CurrentUser() caller: Principal, @Query() query: ClaimListQuery) {
    return this.find.list(caller, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: ClaimView })
  @Problems({ 404: 'not-found (also a claim the caller may not see)' })
  async get(@CurrentUser() caller: Principal, @Param('id', uuidParam) id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    return versioned(reply, await this.find.get(caller, id));
  }

  @Post(':id/approve')
  @HttpCode(200)
  @ApiOperation({ summary: 'requested → approved (staff of the branch, admin); re-checks opening hours, quota, room and advisors (still active, not in another claim)' })
  @ApiOkResponse({ type: ClaimView })
  @Problems({
    ...TRANSITION,
    409: 'invalid-transition, room-taken, advisor-busy',
    422: 'outside-opening-hours, location-closed, advisor-inactive, quota-exceeded (limit, used, asked)',
  })
  async approve(@CurrentUser() caller: Principal, @Param('id', uuidParam) id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    return versioned(reply, await this.workflow.act(caller, id, 'approve', null));
  }

  @Post(':id/reject')
  @HttpCode(200)
  @ApiOperation({ summary: 'requested → rejected with a reason (staff of the branch, admin)' })
  @ApiOkResponse({ type: ClaimView })
  @Problems({ ...TRANSITION, 422: 'validation-failed (reason)' })
  async reject(@CurrentUser() caller: Principal, @Param('id', uuidParam) id: string, @Body() dto: ReasonDto, @Res({ passthrough: true }) reply: FastifyReply) {
    return versioned(reply, await this.workflow.act(caller, id, 'reject', dto.reason));
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  @ApiOperation({ summary: 'requested → withdrawn (the partner, admin)' })
  @ApiOkResponse({ type: ClaimView })
  @Problems(TRANSITION)
  async withdraw(@CurrentUser() caller: Principal, @Param('id', uuidParam) id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    return versioned(reply, await this.workflow.act(caller, id, 'withdraw', null));
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'approved → cancelled with a reason, before its end (the partner, staff of the branch, admin); cancels the confirmed bookings in it' })
  @ApiOkResponse({ type: CancelledClaimView })
  @Problems({ ...TRANSITION, 422: 'validation-failed (reason)' })
  async cancel(@CurrentUser() caller: Principal, @Param('id', uuidParam) id: string, @Body() dto: ReasonDto, @Res({ passthrough: true }) reply: FastifyReply) {
    void reply.header('cache-control', 'no-store');
    return this.workflow.cancel(caller, id, dto.reason);
  }
}

/** A whole series decided at once: each claim on its own, in date order. */
@ApiTags('claims')
@ApiBearerAuth()
@Controller('claim-series/:seriesId')
export class ClaimSeriesController {
  constructor(private readonly workflow: ClaimWorkflowService) {}

  @Post('approve')
  @HttpCode(200)
  @ApiOperation({ summary: "Approve every claim of the series (staff of the branch, admin); items in date order, each with its status and, if it failed, its problem" })
  @ApiOkResponse({ type: SeriesDecisionView })
  @Problems({ 404: 'not-found', 403: 'forbidden (the partner’s users)' })
  approve(@CurrentUser() caller: Principal, @Param('seriesId', uuidParam) seriesId: string) {
    return this.workflow.actOnSeries(caller, seriesId, 'approve', null);
  }

  @Post('reject')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reject every claim of the series with a reason (staff of the branch, admin); items in date order' })
  @ApiOkResponse({ type: SeriesDecisionView })
  @Problems({ 404: 'not-found', 403: 'forbidden (the partner’s users)', 422: 'validation-failed (reason)' })
  reject(@CurrentUser() caller: Principal, @Param('seriesId', uuidParam) seriesId: string, @Body() dto: ReasonDto) {
    return this.workflow.actOnSeries(caller, seriesId, 'reject', dto.reason);
  }
}
