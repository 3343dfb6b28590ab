import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { IsOmittable } from '../../../common/http/omittable';
import { ListQuery } from '../../../common/http/pagination';
import { queryBoolean, trimmed } from '../../../common/http/transforms';


export class LocalizedNameDto {
  @ApiProperty({ example: 'Kouvolan pääkirjasto' })
  @Transform(trimmed)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  fi: string;

  @ApiPropertyOptional({ example: 'Kouvola huvudbibliotek', description: 'defaults to fi' })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  sv?: string;

  @ApiPropertyOptional({ example: 'Kouvola Main Library', description: 'defaults to fi' })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  en?: string;
}

export class AccessibilityDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) fi?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) sv?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) en?: string;
}

export class AddressDto {
  @ApiProperty({ example: 'Salamakuja 3' })
  @Transform(trimmed)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  street: string;

  @ApiProperty({ example: '45100' })
  @IsString()
  @Matches(/^\d{5}$/, { message: 'postalCode is five digits' })
  postalCode: string;

  @ApiProperty({ example: 'Kouvola' })
  @Transform(trimmed)
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  city: string;
}

export class ReminderDto {
  @ApiProperty({ minimum: 1, maximum: 336, example: 24 })
  @IsInt()
  @Min(1)
  @Max(336)
  hoursBefore: number;

  @ApiProperty({ enum: ['email', 'sms'], description: 'Sent to the other contact when the resident gave only that one' })
  @IsIn(['email', 'sms'])
  channel: 'email' | 'sms';
}

export class PolicyDto {
  @ApiPropertyOptional({ default: 120, minimum: 0, maximum: 525600 })
  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(525600)
  minNoticeMinutes?: number;

  @ApiPropertyOptional({ default: 60, minimum: 1, maximum: 730 })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(730)
  maxDaysAhead?: number;

  @ApiPropertyOptional({ default: 60, minimum: 0, maximum: 525600 })
  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(525600)
  cancelUntilMinutesBefore?: number;

  @ApiPropertyOptional({ default: 2, minimum: 1, maximum: 100 })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(100)
  maxActiveBookingsPerContact?: number;

  @ApiPropertyOptional({ default: false })
  @IsOmittable()
  @IsBoolean()
  shareContactWithPartners?: boolean;

  @ApiPropertyOptional({
    type: [ReminderDto],
    maxItems: 5,
    description: 'Reminders before each booking; default 24 h by e-mail and 2 h by SMS; [] sends none',
  })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(5)
  @ValidateNested({ each: true })
  @Type(() => ReminderDto)
  reminders?: ReminderDto[];
}

export class CreateLocationDto {
  @ApiPropertyOptional({ example: 'kouvola-paakirjasto', description: 'defaults to one made from name.fi' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @Matches(/^[a-z0-9]+(-[a-z0-9]+)*$/, { message: 'slug is lower-case letters, digits and single hyphens' })
  slug?: string;

  @ApiProperty({ type: LocalizedNameDto })
  @IsObject()
  @ValidateNested()
  @Type(() => LocalizedNameDto)
  name: LocalizedNameDto;

  @ApiProperty({ example: '286', description: 'official 3-digit municipality code' })
  @IsString()
  @Matches(/^\d{3}$/, { message: 'municipality is a 3-digit code' })
  municipality: string;

  @ApiProperty({ type: AddressDto })
  @IsObject()
  @ValidateNested()
  @Type(() => AddressDto)
  address: AddressDto;

  @ApiPropertyOptional({ example: 'Europe/Helsinki', default: 'Europe/Helsinki', description: 'IANA time zone' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timezone?: string;

  @ApiPropertyOptional({ type: AccessibilityDto, nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsObject()
  @ValidateNested()
  @Type(() => AccessibilityDto)
  accessibility?: AccessibilityDto | null;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({ type: PolicyDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => PolicyDto)
  policy?: PolicyDto;
}

/** Every field optional; `policy` is merged field by field, the others replaced. */
export class UpdateLocationDto extends PartialType(CreateLocationDto) {}

export class LocationListQuery extends ListQuery {
  @ApiPropertyOptional({ example: '286', description: 'official 3-digit municipality code' })
  @IsOptional()
  @IsString()
  @MaxLength(3)
  municipality?: string;

  @ApiPropertyOptional({ example: 'pääkirjasto', description: 'words in the name, slug or city' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ default: false, description: 'also list branches no longer in use' })
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean()
  includeInactive?: boolean;
}

/** `?cancelAffected=true` on a schedule change answered with `affectedBookings` (DELETE has no body). */
export class CancelAffectedQuery {
  @ApiPropertyOptional({ default: false, description: 'cancel the confirmed bookings the change strands (checked-in ones are only listed)' })
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean()
  cancelAffected?: boolean;
}

export class OpeningHoursQuery {
  @ApiPropertyOptional({ example: '2026-12-01', description: 'first local date; default today in the location’s zone' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-14', description: 'last local date, inclusive; default from + 13 days; at most 366 days in all' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  to?: string;
}

// ---- responses (for OpenAPI) ----

export class MunicipalityNameView {
  @ApiProperty() fi: string;
  @ApiProperty() sv: string;
}

export class MunicipalityView {
  @ApiProperty({ example: '286' }) code: string;
  @ApiProperty({ type: MunicipalityNameView }) name: MunicipalityNameView;
}

export class LocalizedTextView {
  @ApiProperty() fi: string;
  @ApiProperty() sv: string;
  @ApiProperty() en: string;
}

export class AddressView {
  @ApiProperty() street: string;
  @ApiProperty() postalCode: string;
  @ApiProperty() city: string;
}

export class PolicyView {
  @ApiProperty() minNoticeMinutes: number;
  @ApiProperty() maxDaysAhead: number;
  @ApiProperty() cancelUntilMinutesBefore: number;
  @ApiProperty() maxActiveBookingsPerContact: number;
  @ApiProperty() shareContactWithPartners: boolean;
  @ApiPropertyOptional({ type: [ReminderDto], description: 'Absent where the caller is shown a branch summary' }) reminders?: ReminderDto[];
}

export class LocationView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() slug: string;
  @ApiProperty({ type: LocalizedTextView }) name: LocalizedTextView;
  @ApiProperty({ type: MunicipalityView }) municipality: MunicipalityView;
  @ApiProperty({ type: AddressView }) address: AddressView;
  @ApiProperty({ example: 'Europe/Helsinki' }) timezone: string;
  @ApiProperty({ type: AccessibilityDto, nullable: true }) accessibility: { fi?: string; sv?: string; en?: string } | null;
  @ApiProperty() active: boolean;
  @ApiProperty({ type: PolicyView }) policy: PolicyView;
  @ApiProperty() version: number;
}

export class DropInView {
  @ApiProperty({ format: 'uuid' }) claimId: string;
  @ApiProperty({ format: 'uuid' }) partnerId: string;
  @ApiProperty({ type: LocalizedTextView }) partnerName: LocalizedTextView;
  @ApiProperty({ example: '2026-12-07T10:00:00+02:00' }) start: string;
  @ApiProperty({ example: '2026-12-07T12:00:00+02:00' }) end: string;
  @ApiProperty({ type: [String], example: ['taxes'] }) topics: string[];
  @ApiProperty({ type: [String], example: ['fi'] }) languages: string[];
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) roomId: string | null;
}

export class OpeningDayView {
  @ApiProperty({ example: '2026-12-07' }) date: string;
  @ApiProperty({ example: [['10:00', '19:00']], type: 'array', items: { type: 'array', items: { type: 'string' } } }) hours: [string, string][];
  @ApiPropertyOptional({ type: LocalizedTextView }) holiday?: LocalizedTextView;
  @ApiPropertyOptional({ description: 'set when a per-date exception decided the day' }) exception?: { reason: LocalizedTextView | null };
  @ApiPropertyOptional({ type: LocalizedTextView, description: 'why the day has no hours' }) closedReason?: LocalizedTextView;
  @ApiPropertyOptional({ type: [DropInView], description: "partners' approved drop-in hours starting that day (present only when there are some), by start" })
  dropIn?: DropInView[];
}

export class OpeningHoursView {
  @ApiProperty({ type: [OpeningDayView] }) items: OpeningDayView[];
}
