import { Injectable } from '@nestjs/common';
import { Principal } from '../../common/auth/principal';
import { Page } from '../../common/http/pagination';
import { ProblemException } from '../../common/problem/problem.exception';
import { TutorView } from '../tutors/dto/tutor.dto';
import { TutorsService } from '../tutors/tutors.service';
import { AdvisorListQuery, CreateAdvisorDto, UpdateAdvisorDto } from './dto/advisor.dto';
import { PartnersService } from './partners.service';

/**
 * A partner's advisors, through the tutors module (its validation and access rules): the partner
 * is checked first (404 for a partner the caller may not see), then the tutor is the partner's.
 */
@Injectable()
export class AdvisorsService {
  constructor(
    private readonly partners: PartnersService,
    private readonly tutors: TutorsService,
  ) {}

  async list(caller: Principal, partnerId: string, q: AdvisorListQuery): Promise<Page<TutorView>> {
    await this.partners.findVisible(caller, partnerId);
    return this.tutors.list(caller, { ...q, kind: 'advisor', partnerId });
  }

  async get(caller: Principal, partnerId: string, tutorId: string): Promise<TutorView> {
    await this.partners.findVisible(caller, partnerId);
    return TutorsService.view(await this.findAdvisor(caller, partnerId, tutorId));
  }

  async create(caller: Principal, partnerId: string, dto: CreateAdvisorDto): Promise<TutorView> {
    await this.partners.findVisible(caller, partnerId);
    return this.tutors.create(caller, { ...dto, kind: 'advisor', partnerId, locationIds: [] });
  }

  async update(caller: Principal, partnerId: string, tutorId: string, dto: UpdateAdvisorDto, ifMatch?: string): Promise<TutorView> {
    await this.partners.findVisible(caller, partnerId);
    await this.findAdvisor(caller, partnerId, tutorId);
    return this.tutors.update(caller, tutorId, dto, ifMatch);
  }

  private async findAdvisor(caller: Principal, partnerId: string, tutorId: string) {
    const tutor = await this.tutors.findVisible(caller, tutorId);
    if (tutor.kind !== 'advisor' || tutor.partnerId !== partnerId) throw ProblemException.notFound('advisor');
    return tutor;
  }
}
