import { Global, Module } from '@nestjs/common';
import { LocationsModule } from '../locations/locations.module';
import { PARTNER_CLAIMS } from '../partners/partner-claims.port';
import { TopicsModule } from '../topics/topics.module';
import { ClaimsController, ClaimSeriesController, PartnerClaimsController } from './claims.controller';
import { ClaimsRepository } from './claims.repository';
import { ClaimQuotaCheck } from './use-cases/claim-quota-check';
import { ClaimWorkflowService } from './use-cases/claim-workflow.service';
import { FindClaimsService } from './use-cases/find-claims.service';
import { RequestClaimsService } from './use-cases/request-claims.service';

/**
 * Partner claims on library room-hours: pure rules (claim-transitions, claim-series,
 * claim-window, claim-quota, claim-opening), one use case per service (use-cases/), one
 * repository for every read and write of claims. The bookings module provides CLAIM_BOOKINGS
 * (cancelling a claim's sessions) and reads the agenda's claims through FindClaimsService; this
 * module provides PARTNER_CLAIMS to the partners module (global, so no import arrow points from
 * partners to claims).
 */
@Global()
@Module({
  imports: [LocationsModule, TopicsModule],
  controllers: [PartnerClaimsController, ClaimsController, ClaimSeriesController],
  providers: [ClaimsRepository, ClaimQuotaCheck, RequestClaimsService, ClaimWorkflowService, FindClaimsService, { provide: PARTNER_CLAIMS, useExisting: ClaimWorkflowService }],
  exports: [FindClaimsService, PARTNER_CLAIMS],
})
export class ClaimsModule {}
