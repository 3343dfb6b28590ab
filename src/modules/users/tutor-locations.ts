import { Injectable } from '@nestjs/common';
import { FieldError, ProblemException } from '../../common/problem/problem.exception';
import { TutorsService } from '../tutors/tutors.service';

/**
 * Answers the users module's questions about tutors, locations and partners through the tutors
 * module (which the partners module builds on, so users need not import partners).
 */
@Injectable()
export class TutorLocations {
  constructor(private readonly tutors: TutorsService) {}

  /** Ids of tutors working at any of these branches. */
  tutorsAt(locationIds: string[]): Promise<string[]> {
    return this.tutors.tutorIdsAt(locationIds);
  }

  /** Branches the tutor works at (empty for an unknown tutor). */
  locationsOf(tutorId: string): Promise<string[]> {
    return this.tutors.locationsOf(tutorId);
  }

  /** 422 naming `tutorId`, `partnerId` and/or `locationIds` when they name nothing. */
  async assertReferencesExist(refs: { tutorId: string | null; partnerId: string | null; locationIds: string[] }): Promise<void> {
    const errors: FieldError[] = [];
    if (refs.tutorId && !(await this.tutors.tutorExists(refs.tutorId))) {
      errors.push({ field: 'tutorId', code: 'unknown-tutor', message: 'No tutor has this id.' });
    }
    const checks = [
      () => this.tutors.assertLocationsExist(refs.locationIds, 'locationIds'),
      ...(refs.partnerId ? [() => this.tutors.assertPartnerExists(refs.partnerId as string, 'partnerId')] : []),
    ];
    for (const check of checks) {
      try {
        await check();
      } catch (error) {
        if (!(error instanceof ProblemException) || !error.errors) throw error;
        errors.push(...error.errors);
      }
    }
    if (errors.length) throw new ProblemException('validation-failed', 'Some referenced ids name nothing.', errors);
  }
}
