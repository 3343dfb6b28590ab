import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { HasOffset, IsInstant } from '../../../common/http/instant-validators';
import { PeriodListQuery } from '../../../common/http/pagination';
import { LocalizedTextView } from '../../locations/dto/location.dto';
import { AffectedBookingView } from '../../locations/dto/schedule.dto';
import { CLAIM_STATUSES, type ClaimStatus } from '../claim-transitions';
import type { ClaimMode } from '../claim-window';
import { lowerCase, trimmed } from '../../../common/http/transforms';

/** Request and response shapes of the claims API (API.md: `POST /partners/{id}/claims`, `/claims`, `/claim-series`). */

export const CLAIM_MODES = ['bookable', 'drop-in'] as const;

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const notNull = (_: object, v: unknown) => v !== null;

export class CreateClaimDto {
  @ApiProperty({ format: 'uuid' })
  @Transform(lowerCase)
  @IsUUID()
  locationId: string;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'A room of the branch; approved claims never share a room in time' })
  @IsOptional()
  @ValidateIf(notNull)
  @Transform(lowerCase)
  @IsUUID()
  roomId?: string | null;

  @ApiProperty({ example: '2027-01-12T10:00:00+02:00' })
  @IsString()
  @HasOffset()
  @IsInstant()
  start: string;

  @ApiProperty({ example: '2027-01-12T14:00:00+02:00', description: 'On the same local date as start; at most 12 hours later' })
  @IsString()
  @HasOffset()
  @IsInstant()
  end: string;

  @ApiProperty({ enum: CLAIM_MODES })
  @IsIn(CLAIM_MODES)
  mode: ClaimMode;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 5, maximum: 480, description: 'Required when bookable; absent for drop-in' })
  @IsOptional()
  @ValidateIf(notNull)
  @IsInt()
  @Min(5)
  @Max(480)
  sessionMinutes?: number | null;

  @ApiPropertyOptional({ minimum: 0, maximum: 240, default: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(240)
  bufferMinutes?: number;

  @ApiProperty({ type: [String], description: "This partner's active advisors (tutors of kind advisor); at least one when bookable" })
  @IsArray()
  @ArrayMaxSize(50)
  @Transform(({ value }) => (Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v.toLowerCase() : v)) : value))
  @IsUUID(undefined, { each: true })
  advisorIds: string[];

  @ApiProperty({ type: [String], example: ['taxes'], description: 'Topic slugs (1 to 20)' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Matches(SLUG, { each: true, message: 'topics are topic slugs such as online-banking' })
  topics: string[];

  @ApiProperty({ type: [String], example: ['fi', 'sv'], description: 'ISO 639-1 codes (1 to 30)' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(30)
  @IsString({ each: true })
  @Matches(/^[a-z]{2}$/, { each: true, message: 'languages are ISO 639-1 codes such as fi' })
  languages: string[];

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 2000 })
  @IsOptional()
  @ValidateIf(notNull)
  @Transform(trimmed)
  @IsString()
  @MaxLength(2000)
  note?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: '2027-05-31', description: 'A weekly series: one claim each week through this local date (at most a year, 53 claims)' })
  @IsOptional()
  @ValidateIf(notNull)
  @IsString()
  @Matches(DATE, { message: 'repeatWeeklyUntil is a date YYYY-MM-DD' })
  repeatWeeklyUntil?: string | null;
}

export class ReasonDto {
  @ApiProperty({ example: 'Sali on remontissa', maxLength: 1000 })
  @Transform(trimmed)
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  reason: string;
}

export class ClaimListQuery extends PeriodListQuery {
  @ApiPropertyOptional({ example: 'requested,approved', description: `One status or several, comma-separated: ${CLAIM_STATUSES.join(', ')}` })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  status?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @Transform(lowerCase)
  @IsUUID()
  locationId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @Transform(lowerCase)
  @IsUUID()
  partnerId?: string;
}

export class ClaimView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) seriesId: string;
  @ApiProperty({ format: 'uuid' }) partnerId: string;
  @ApiProperty({ type: LocalizedTextView }) partnerName: LocalizedTextView;
  @ApiProperty({ format: 'uuid' }) locationId: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) roomId: string | null;
  @ApiProperty({ example: '2027-01-12T10:00:00+02:00', description: "In the branch's offset" }) start: string;
  @ApiProperty({ example: '2027-01-12T14:00:00+02:00' }) end: string;
  @ApiProperty({ enum: CLAIM_MODES }) mode: ClaimMode;
  @ApiProperty({ type: Number, nullable: true }) sessionMinutes: number | null;
  @ApiProperty() bufferMinutes: number;
  @ApiProperty({ type: [String] }) advisorIds: string[];
  @ApiProperty({ type: [String] }) topics: string[];
  @ApiProperty({ type: [String] }) languages: string[];
  @ApiProperty({ type: String, nullable: true }) note: string | null;
  @ApiProperty({ enum: CLAIM_STATUSES }) status: ClaimStatus;
  @ApiProperty({ type: String, nullable: true, description: 'Why it was rejected or cancelled' }) statusReason: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) requestedBy: string | null;
  @ApiProperty() requestedAt: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) statusChangedBy: string | null;
  @ApiProperty({ type: String, nullable: true }) statusChangedAt: string | null;
  @ApiProperty() version: number;
}

export class CreatedClaimsView {
  @ApiProperty({ format: 'uuid' }) seriesId: string;
  @ApiProperty({ type: [ClaimView], description: 'By start' }) items: ClaimView[];
}

export class ClaimListView {
  @ApiProperty({ type: [ClaimView] }) items: ClaimView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class CancelledClaimView extends ClaimView {
  @ApiProperty({ type: [AffectedBookingView], description: "the claim's active bookings that had not ended, by start; those it cancelled show status cancelled" })
  affectedBookings: AffectedBookingView[];
}

export class SeriesDecisionItemView {
  @ApiProperty({ format: 'uuid' }) claimId: string;
  @ApiProperty({ enum: CLAIM_STATUSES, description: 'The status after the decision' }) status: ClaimStatus;
  @ApiPropertyOptional({ description: 'Why this claim was not decided: a problem body (room-taken, advisor-busy, quota-exceeded, outside-opening-hours, location-closed, invalid-transition)' })
  problem?: Record<string, unknown>;
}

export class SeriesDecisionView {
  @ApiProperty({ type: [SeriesDecisionItemView], description: 'Every claim of the series, by start' }) items: SeriesDecisionItemView[];
}

