import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsDefined, IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength, ValidateIf, ValidateNested } from 'class-validator';
import { PeriodListQuery } from '../../../common/http/pagination';
import { BOOKING_STATUSES } from '../rules/booking-status';
import { ClaimView } from '../../claims/dto/claim.dto';
import { BookingView, CreateBookingDto } from './booking.dto';
import { lowerCase, queryBoolean, trimmed } from '../../../common/http/transforms';

/** Staff, tutor and desk shapes of the booking API (API.md: Staff table, booking lifecycle). */

export const STAFF_CHANNELS = ['phone', 'walk-in'] as const;
export type StaffChannel = (typeof STAFF_CHANNELS)[number];

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const notNull = (_: object, v: unknown) => v !== null;

/** POST /bookings/staff: the public body without consent, plus the channel. */
export class StaffCreateBookingDto extends OmitType(CreateBookingDto, ['consent'] as const) {
  @ApiProperty({ enum: STAFF_CHANNELS, description: 'How the resident reached the library' })
  @IsIn(STAFF_CHANNELS)
  channel: StaffChannel;

  @ApiPropertyOptional({ description: 'Not needed for staff bookings (the staff member records the contact); accepted and ignored' })
  @IsOptional()
  @IsBoolean()
  consent?: boolean;
}

export class OutcomeDto {
  @ApiProperty({ type: [String], example: ['smartphone-tablet', 'online-banking'], description: 'Topic slugs covered (1 to 20)' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Matches(SLUG, { each: true, message: 'topics are topic slugs such as online-banking' })
  topics: string[];

  @ApiPropertyOptional({ type: String, nullable: true, example: 'Kela', description: 'Where the resident was sent on to' })
  @IsOptional()
  @ValidateIf(notNull)
  @Transform(trimmed)
  @IsString()
  @MaxLength(200)
  referredTo?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'Pankkitunnukset kuntoon' })
  @IsOptional()
  @ValidateIf(notNull)
  @Transform(trimmed)
  @IsString()
  @MaxLength(2000)
  note?: string | null;
}

export class CompleteBookingDto {
  @ApiProperty({ type: OutcomeDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => OutcomeDto)
  outcome: OutcomeDto;
}

export class StaffCancelBookingDto {
  @ApiProperty({ example: 'Asukas soitti: sairastunut', description: 'Why (recorded with the cancellation; 1 to 1000 characters)' })
  @IsDefined()
  @Transform(trimmed)
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  reason: string;
}

export class BookingListQuery extends PeriodListQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @Transform(lowerCase)
  @IsUUID()
  locationId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @Transform(lowerCase)
  @IsUUID()
  tutorId?: string;

  @ApiPropertyOptional({ example: 'confirmed,checked_in', description: `One status or several, comma-separated: ${BOOKING_STATUSES.join(', ')}` })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  status?: string;

  @ApiPropertyOptional({ example: 'K7M-4QX', description: 'Exact reference; case, spaces and the dash do not matter' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  reference?: string;
}

export class AgendaQuery {
  @ApiPropertyOptional({ example: '2027-01-11', description: "Local date; default today in the branch's zone" })
  @IsOptional()
  @IsString()
  @MaxLength(10)
  date?: string;

  @ApiPropertyOptional({ default: false, description: 'Also list cancelled bookings' })
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean()
  includeCancelled?: boolean;
}

// ---- responses ----

export class OutcomeView {
  @ApiProperty({ type: [String] }) topics: string[];
  @ApiProperty({ type: String, nullable: true }) referredTo: string | null;
  @ApiProperty({ type: String, nullable: true }) note: string | null;
}

/** The booking as staff and tutors see it: the public view plus the notes and the outcome. */
export class StaffBookingView extends BookingView {
  @ApiProperty({ type: String, nullable: true }) notes: string | null;
  @ApiProperty({ type: OutcomeView, nullable: true }) outcome: OutcomeView | null;
  @ApiPropertyOptional({ enum: [true], description: 'present while the tutor has an absence over this active booking (e.g. recorded by another branch)' })
  tutorAbsent?: true;
}

export class BookingListView {
  @ApiProperty({ type: [StaffBookingView] }) items: StaffBookingView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class AgendaItemView {
  @ApiProperty({ enum: ['booking', 'claim'] }) type: 'booking' | 'claim';
  @ApiPropertyOptional({ type: StaffBookingView, description: 'With type booking' }) booking?: StaffBookingView;
  @ApiPropertyOptional({ type: ClaimView, description: "With type claim: an approved partner claim starting that day" }) claim?: ClaimView;
}

export class AgendaView {
  @ApiProperty({ example: '2027-01-11' }) date: string;
  @ApiProperty({ type: [AgendaItemView] }) items: AgendaItemView[];
}
