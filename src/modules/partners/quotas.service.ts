import { Injectable } from '@nestjs/common';
import { Principal } from '../../common/auth/principal';
import { ProblemException } from '../../common/problem/problem.exception';
import { TutorsService } from '../tutors/tutors.service';
import { PutQuotaDto, QuotaView } from './dto/quota.dto';
import { PartnersService } from './partners.service';
import { QuotasRepository } from './quotas.repository';

/**
 * A partner's monthly quotas, partner-wide (no locationId) or for one branch. Admins set them
 * (the controller's role check); whoever sees the partner reads them.
 */
@Injectable()
export class QuotasService {
  constructor(
    private readonly partners: PartnersService,
    private readonly quotas: QuotasRepository,
    private readonly tutors: TutorsService,
  ) {}

  /** 404 when none is set. */
  async get(caller: Principal, partnerId: string, locationId?: string): Promise<QuotaView> {
    await this.partners.findVisible(caller, partnerId);
    const hours = await this.quotas.find(partnerId, locationId ?? null);
    if (hours === undefined) throw ProblemException.notFound('quota');
    return { partnerId, locationId: locationId ?? null, hoursPerMonth: hours };
  }

  async put(caller: Principal, partnerId: string, locationId: string | undefined, dto: PutQuotaDto): Promise<QuotaView> {
    await this.partners.findVisible(caller, partnerId);
    if (locationId) await this.tutors.assertLocationsExist([locationId], 'locationId');
    const hours = await this.quotas.put(partnerId, locationId ?? null, dto.hoursPerMonth, caller.id);
    return { partnerId, locationId: locationId ?? null, hoursPerMonth: hours };
  }

  /** 404 when none was set. */
  async remove(caller: Principal, partnerId: string, locationId?: string): Promise<void> {
    await this.partners.findVisible(caller, partnerId);
    if (!(await this.quotas.remove(partnerId, locationId ?? null))) throw ProblemException.notFound('quota');
  }
}
