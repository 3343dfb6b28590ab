import { Module } from '@nestjs/common';
import { TutorsModule } from '../tutors/tutors.module';
import { AdvisorsController } from './advisors.controller';
import { AdvisorsService } from './advisors.service';
import { PartnersController } from './partners.controller';
import { PartnersRepository } from './partners.repository';
import { PartnersService } from './partners.service';
import { QuotasController } from './quotas.controller';
import { QuotasRepository } from './quotas.repository';
import { QuotasService } from './quotas.service';

/**
 * Partner organisations, their advisors (tutors of kind `advisor`, through the tutors module) and
 * their monthly quotas. QuotasRepository.quotaLimits (or readQuotaLimits) is what the claims
 * module reads quotas through.
 */
@Module({
  imports: [TutorsModule],
  controllers: [PartnersController, AdvisorsController, QuotasController],
  providers: [PartnersService, PartnersRepository, AdvisorsService, QuotasService, QuotasRepository],
  exports: [PartnersService, QuotasRepository],
})
export class PartnersModule {}
