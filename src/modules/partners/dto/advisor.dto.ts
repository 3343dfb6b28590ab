import { PartialType, PickType } from '@nestjs/swagger';
import { CreateTutorDto, TutorListQuery } from '../../tutors/dto/tutor.dto';

/**
 * An advisor is a tutor with kind `advisor` and the path's partner: the tutor's own fields and
 * validation, without kind, partnerId and branches (the libraries' to give).
 */
export class CreateAdvisorDto extends PickType(CreateTutorDto, ['displayName', 'email', 'phone', 'topics', 'languages', 'active'] as const) {}

export class UpdateAdvisorDto extends PartialType(CreateAdvisorDto) {}

export class AdvisorListQuery extends PickType(TutorListQuery, ['limit', 'cursor', 'topic', 'language', 'active'] as const) {}
