import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsArray, IsBoolean, IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { ListQuery } from '../../../common/http/pagination';
import { trimmed } from '../../../common/http/transforms';


const INTERVALS_SCHEMA = { type: 'array', items: { type: 'array', items: { type: 'string', example: '10:00' }, minItems: 2, maxItems: 2 } } as const;

export class WeeklyPeriodDoc {
  @ApiPropertyOptional({ example: '2026-08-15', nullable: true, description: 'first date (inclusive); null = always' }) validFrom?: string | null;
  @ApiPropertyOptional({ example: '2027-05-31', nullable: true, description: 'last date (inclusive); null = no end' }) validUntil?: string | null;
  @ApiProperty({
    description: 'weekday 1 (Monday) … 7 (Sunday) → [["HH:mm","HH:mm"], …]; an absent day is closed',
    type: 'object',
    additionalProperties: INTERVALS_SCHEMA,
    example: { '1': [['10:00', '19:00']], '6': [['10:00', '15:00']] },
  })
  days: Record<string, [string, string][]>;
}

/**
 * Weekly hours, replaced as a whole. The shape inside `periods` is checked by
 * parseWeeklyHours (field errors such as `periods.0.days.8`).
 */
export class WeeklyHoursDto {
  @ApiProperty({ type: [WeeklyPeriodDoc] })
  @IsArray()
  periods: unknown[];

  @ApiPropertyOptional({ default: false, description: 'cancel the confirmed bookings the new hours no longer cover (checked-in ones are only listed)' })
  @IsOptional()
  @IsBoolean()
  cancelAffected?: boolean;
}

export class ExceptionDto {
  @ApiProperty({ ...INTERVALS_SCHEMA, example: [['10:00', '14:00']], description: '[] = closed all day' })
  @IsArray()
  hours: unknown[];

  @ApiPropertyOptional({ description: 'a string, or { fi, sv?, en? }', oneOf: [{ type: 'string' }, { type: 'object' }] })
  @IsOptional()
  reason?: unknown;

  @ApiPropertyOptional({ default: false, description: 'cancel the confirmed bookings that day the new hours no longer cover (checked-in ones are only listed)' })
  @IsOptional()
  @IsBoolean()
  cancelAffected?: boolean;
}

export class ExceptionListQuery extends ListQuery {
  @ApiPropertyOptional({ example: '2026-12-01' }) @IsOptional() @IsString() @MaxLength(40) from?: string;
  @ApiPropertyOptional({ example: '2027-01-31' }) @IsOptional() @IsString() @MaxLength(40) to?: string;
}

export class CreateClosureDto {
  @ApiProperty({ example: '2026-12-10T12:00:00+02:00', description: 'instant with offset' })
  @IsString()
  @MaxLength(40)
  start: string;

  @ApiProperty({ example: '2026-12-11T11:00:00+02:00', description: 'instant with offset, exclusive' })
  @IsString()
  @MaxLength(40)
  end: string;

  @ApiPropertyOptional({ example: 'Vesivahinko' })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason?: string;

  @ApiPropertyOptional({ default: false, description: 'cancel the confirmed bookings it covers (checked-in ones are only listed)' })
  @IsOptional()
  @IsBoolean()
  cancelAffected?: boolean;
}

export class ClosureListQuery extends ListQuery {
  @ApiPropertyOptional({ example: '2026-12-01T00:00:00+02:00', description: 'closures ending after this instant, or after the start of this local date' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  from?: string;

  @ApiPropertyOptional({ example: '2027-01-01T00:00:00+02:00', description: 'closures starting before this instant, or before the end of this local date (inclusive)' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  to?: string;
}

export class CreateRoomDto {
  @ApiProperty({ example: 'Pajahuone' })
  @Transform(trimmed)
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;

  @ApiProperty({ example: 6, minimum: 1, maximum: 10000 })
  @IsInt()
  @Min(1)
  @Max(10000)
  capacity: number;
}

// ---- responses ----

export class ClosureView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) locationId: string;
  @ApiProperty({ example: '2026-12-10T12:00:00+02:00' }) start: string;
  @ApiProperty({ example: '2026-12-11T11:00:00+02:00' }) end: string;
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
}

export class AffectedBookingView {
  @ApiProperty() id: string;
  @ApiProperty() reference: string;
  @ApiProperty() start: string;
  @ApiProperty() end: string;
  @ApiProperty() status: string;
  @ApiProperty({ type: String, nullable: true }) tutorId: string | null;
}

/** What a schedule change (deactivation, exception, weekly hours) answers about the bookings it strands. */
export class AffectedBookingsView {
  @ApiProperty({ type: [AffectedBookingView], description: 'active bookings the change strands that have not ended, by start; those it cancelled show status cancelled' })
  affectedBookings: AffectedBookingView[];
}

export class ClosureCreatedView extends ClosureView {
  @ApiProperty({ type: [AffectedBookingView], description: 'active bookings the closure covers that have not ended, by start; those it cancelled show status cancelled' })
  affectedBookings: AffectedBookingView[];
}

export class RoomView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) locationId: string;
  @ApiProperty() name: string;
  @ApiProperty() capacity: number;
}
