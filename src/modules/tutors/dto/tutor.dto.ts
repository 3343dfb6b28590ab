import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { ListQuery } from '../../../common/http/pagination';
import { TUTOR_KINDS, TutorKind } from '../tutor-kind';
import { IsE164Phone, IsLanguageCode, toE164, uniqueStrings } from './validators';
import { queryBoolean, trimmed, trimmedLowerCase } from '../../../common/http/transforms';

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export class TutorView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Matti V.' }) displayName: string;
  @ApiProperty({ enum: TUTOR_KINDS }) kind: TutorKind;
  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: 'Set for advisors only: the partner organisation' })
  partnerId: string | null;
  @ApiProperty({ type: String, nullable: true }) email: string | null;
  @ApiProperty({ type: String, nullable: true, example: '+358401234567' }) phone: string | null;
  @ApiProperty({ type: [String], format: 'uuid' }) locationIds: string[];
  @ApiProperty({ type: [String], format: 'uuid', description: 'Those of locationIds whose branch is out of use; the membership and rules return with the branch' })
  inactiveLocationIds: string[];
  @ApiProperty({ type: [String], example: ['smartphone-tablet', 'online-banking'] }) topics: string[];
  @ApiProperty({ type: [String], example: ['fi', 'sv'] }) languages: string[];
  @ApiProperty() active: boolean;
  @ApiProperty() version: number;
}

export class TutorListView {
  @ApiProperty({ type: [TutorView] }) items: TutorView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class CreateTutorDto {
  @ApiProperty({ example: 'Matti V.', description: 'Shown to residents with their slots' })
  @Transform(trimmed)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  displayName: string;

  @ApiProperty({ enum: TUTOR_KINDS, description: '`advisor` needs partnerId (advisors are managed under /partners/{id}/advisors; here by admins)' })
  @IsIn(TUTOR_KINDS)
  kind: TutorKind;

  @ApiPropertyOptional({ type: String, nullable: true, format: 'uuid' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsUUID()
  partnerId?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @Transform(trimmedLowerCase)
  @IsEmail()
  @MaxLength(254)
  email?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: '040 123 4567', description: 'Stored in E.164; numbers without a country code are Finnish' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @Transform(toE164)
  @IsE164Phone()
  phone?: string | null;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Branches the tutor works at; staff give their own' })
  @IsOptional()
  @Transform(uniqueStrings(true))
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  locationIds?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Topic slugs' })
  @IsOptional()
  @Transform(uniqueStrings())
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Matches(SLUG, { each: true, message: 'topics are topic slugs' })
  topics?: string[];

  @ApiProperty({ type: [String], example: ['fi', 'sv'], description: 'ISO 639-1 codes, at least one' })
  @Transform(uniqueStrings(true))
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(30)
  @IsLanguageCode({ each: true })
  languages: string[];

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

/** Any subset of the create fields; `locationIds` is the whole new set (staff add or remove only their own branches). */
export class UpdateTutorDto extends PartialType(CreateTutorDto) {}

export class TutorListQuery extends ListQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  locationId?: string;

  @ApiPropertyOptional({ description: 'Topic slug' })
  @IsOptional()
  @IsString()
  @MaxLength(60)
  @Matches(SLUG, { message: 'topic is a topic slug' })
  topic?: string;

  @ApiPropertyOptional({ description: 'ISO 639-1' })
  @IsOptional()
  @Transform(trimmedLowerCase)
  @IsLanguageCode()
  language?: string;

  @ApiPropertyOptional({ enum: TUTOR_KINDS })
  @IsOptional()
  @IsIn(TUTOR_KINDS)
  kind?: TutorKind;

  @ApiPropertyOptional({ format: 'uuid', description: "Only this partner's advisors" })
  @IsOptional()
  @IsUUID()
  partnerId?: string;

  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean()
  active?: boolean;
}
