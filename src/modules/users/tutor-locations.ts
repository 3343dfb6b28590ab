import { Injectable } from '@nestjs/common';

/**
 * Answers the users module's questions about tutors, locations and partners, which other
 * modules own. Until those modules exist, scope ids are plain ids (API.md): no tutor works
 * anywhere yet, and references are not checked.
 */
@Injectable()
export class TutorLocations {
  async tutorsAt(_locationIds: string[]): Promise<string[]> {
    return [];
  }

  async locationsOf(_tutorId: string): Promise<string[]> {
    return [];
  }

  async assertReferencesExist(_refs: { tutorId: string | null; partnerId: string | null; locationIds: string[] }): Promise<void> {}
}
