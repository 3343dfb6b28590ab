import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsDefined, IsEmail, IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength, ValidateBy, ValidateIf, ValidateNested, ValidationOptions } from 'class-validator';
import { isE164, normalizeEmail, normalizePhone } from '../rules/contact';
import { BOOKING_STATUSES } from '../rules/booking-status';
import { HasOffset, IsInstant } from '../../../common/http/instant-validators';
import { AddressView, LocalizedTextView } from '../../locations/dto/location.dto';
import { trimmed } from '../../../common/http/transforms';

/**
 * Request and response shapes of the booking API (API.md `POST /bookings`, `/bookings/manage/…`).
 * Each custom constraint's name becomes the error code: `invalidPhone` → `invalid-phone`.
 */

export const RESIDENT_LANGUAGES = ['fi', 'sv', 'en'] as const;
export type ResidentLanguage = (typeof RESIDENT_LANGUAGES)[number];
export const BOOKING_KINDS = ['tutoring', 'advisory'] as const;
export type BookingKind = (typeof BOOKING_KINDS)[number];
export const CHANNELS = ['web', 'phone', 'walk-in'] as const;
export type Channel = (typeof CHANNELS)[number];

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const toEmail = ({ value }: { value: unknown }) => (typeof value === 'string' ? normalizeEmail(value) : value);
const toPhone = ({ value }: { value: unknown }) => (typeof value === 'string' ? (normalizePhone(value) ?? value) : value);
const notNull = (_: object, v: unknown) => v !== null;

const IsPhone = (options?: ValidationOptions) =>
  ValidateBy(
    { name: 'invalidPhone', validator: { validate: (v: unknown) => isE164(v), defaultMessage: () => 'phone is a phone number such as 040 123 4567 or +358 40 123 4567.' } },
    options,
  );

const ConsentGiven = (options?: ValidationOptions) =>
  ValidateBy({ name: 'consentRequired', validator: { validate: (v: unknown) => v === true, defaultMessage: () => 'consent must be true to book.' } }, options);

export class ResidentDto {
  @ApiProperty({ example: 'Aino Virtanen' })
  @Transform(trimmed)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ type: String, nullable: true, example: '040 123 4567', description: 'Stored in E.164; numbers without a country code are Finnish' })
  @IsOptional()
  @ValidateIf(notNull)
  @Transform(toPhone)
  @IsPhone()
  phone?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'aino@example.fi' })
  @IsOptional()
  @ValidateIf(notNull)
  @Transform(toEmail)
  @IsEmail()
  @MaxLength(254)
  email?: string | null;

  @ApiPropertyOptional({ enum: RESIDENT_LANGUAGES, default: 'fi', description: 'Language of messages and the calendar file' })
  @IsOptional()
  @IsIn(RESIDENT_LANGUAGES)
  language?: ResidentLanguage;
}

export class CreateBookingDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  locationId: string;

  @ApiProperty({ example: '2026-12-01T10:00:00+02:00', description: 'A slot start from GET /slots; must carry an offset' })
  @IsString()
  @MaxLength(40)
  @IsInstant()
  @HasOffset()
  start: string;

  @ApiProperty({ example: 'smartphone', description: 'Topic slug' })
  @IsString()
  @MaxLength(60)
  @Matches(SLUG, { message: 'topic is a topic slug such as online-banking' })
  topic: string;

  @ApiPropertyOptional({ example: 'fi', description: 'Session language (ISO 639-1); default resident.language' })
  @IsOptional()
  @Matches(/^[a-z]{2}$/, { message: 'language is an ISO 639-1 code such as fi' })
  language?: string;

  @ApiPropertyOptional({ enum: BOOKING_KINDS, default: 'tutoring' })
  @IsOptional()
  @IsIn(BOOKING_KINDS)
  kind?: BookingKind;

  @ApiPropertyOptional({ type: String, nullable: true, format: 'uuid', description: 'Absent or null: any suitable tutor free then' })
  @IsOptional()
  @ValidateIf(notNull)
  @IsUUID()
  tutorId?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, format: 'uuid', description: 'The approved bookable partner claim an advisory booking (kind "advisory") is made in; tutorId then names one of its advisors' })
  @IsOptional()
  @ValidateIf(notNull)
  @IsUUID()
  claimId?: string | null;

  @ApiProperty({ type: ResidentDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => ResidentDto)
  resident: ResidentDto;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'Uusi puhelin' })
  @IsOptional()
  @ValidateIf(notNull)
  @IsString()
  @MaxLength(2000)
  notes?: string | null;

  @ApiProperty({ example: true, description: 'Must be true: the resident agrees to the processing of the contact details' })
  @ConsentGiven()
  consent: boolean;
}

export class CancelBookingDto {
  @ApiPropertyOptional({ example: 'En pääse' })
  @IsOptional()
  @ValidateIf(notNull)
  @Transform(trimmed)
  @IsString()
  @MaxLength(1000)
  reason?: string | null;
}

export class RescheduleBookingDto {
  @ApiProperty({ example: '2026-12-02T10:00:00+02:00' })
  @IsString()
  @MaxLength(40)
  @IsInstant()
  @HasOffset()
  start: string;

  @ApiPropertyOptional({ type: String, nullable: true, format: 'uuid', description: 'Absent: the current tutor if free then, else any suitable one' })
  @IsOptional()
  @ValidateIf(notNull)
  @IsUUID()
  tutorId?: string | null;
}

export class BookingLocationView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: LocalizedTextView }) name: LocalizedTextView;
  @ApiProperty({ type: AddressView }) address: AddressView;
  @ApiProperty({ example: 'Europe/Helsinki' }) timezone: string;
}

export class BookingTutorView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Matti V.' }) displayName: string;
}

export class ResidentView {
  @ApiProperty() name: string;
  @ApiProperty({ type: String, nullable: true, example: '+358401234567' }) phone: string | null;
  @ApiProperty({ type: String, nullable: true }) email: string | null;
  @ApiProperty({ enum: RESIDENT_LANGUAGES }) language: ResidentLanguage;
}

export class BookingView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'K7M-4QX' }) reference: string;
  @ApiProperty({ enum: BOOKING_STATUSES }) status: string;
  @ApiProperty({ example: '2026-12-01T10:00:00+02:00' }) start: string;
  @ApiProperty({ example: '2026-12-01T10:45:00+02:00' }) end: string;
  @ApiProperty({ example: 'smartphone' }) topic: string;
  @ApiProperty({ example: 'fi' }) language: string;
  @ApiProperty({ enum: BOOKING_KINDS }) kind: BookingKind;
  @ApiProperty({ enum: CHANNELS }) channel: Channel;
  @ApiProperty({ type: BookingLocationView }) location: BookingLocationView;
  @ApiProperty({ type: BookingTutorView }) tutor: BookingTutorView;
  @ApiProperty({ type: String, nullable: true }) partnerId: string | null;
  @ApiProperty({ type: String, nullable: true }) claimId: string | null;
  @ApiProperty({ type: ResidentView }) resident: ResidentView;
  @ApiPropertyOptional({ description: 'Only in the response that created the booking (and its idempotent replays)' }) manageToken?: string;
  @ApiProperty() version: number;
}

/** POST /bookings/manage-link/resend: a booking's reference and the phone number or e-mail it was booked with. */
export class ResendManageLinkDto {
  @ApiProperty({ example: 'K7M-4QX', description: 'As the resident types it: case, spaces and the dash do not matter' })
  @Transform(trimmed)
  @IsString()
  @MinLength(1)
  @MaxLength(20)
  reference: string;

  @ApiProperty({ example: '040 123 4567', description: 'The phone number or e-mail address given when booking; the link goes there only' })
  @Transform(trimmed)
  @IsString()
  @MinLength(1)
  @MaxLength(254)
  contact: string;
}
