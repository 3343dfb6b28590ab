import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsDefined, IsInt, IsOptional, IsUUID, Max, Min, ValidateIf, ValidateNested } from 'class-validator';
import { BUFFER_MINUTES, MAX_RULES_PER_LOCATION, SESSION_MINUTES } from '../availability-rules';
import { IsIsoDateOnly, IsLocalTime } from './validators';
import { lowerCase } from '../../../common/http/transforms';

export class RuleDto {
  @ApiProperty({ minimum: 1, maximum: 7, example: 2, description: '1 = Monday … 7 = Sunday' })
  @IsInt()
  @Min(1)
  @Max(7)
  weekday: number;

  @ApiProperty({ example: '10:00', description: 'Local time HH:mm' })
  @IsLocalTime(false)
  startTime: string;

  @ApiProperty({ example: '14:00', description: 'Local time HH:mm, after startTime; 24:00 allowed' })
  @IsLocalTime(true)
  endTime: string;

  @ApiProperty({ minimum: SESSION_MINUTES.min, maximum: SESSION_MINUTES.max, example: 45 })
  @IsInt()
  @Min(SESSION_MINUTES.min)
  @Max(SESSION_MINUTES.max)
  sessionMinutes: number;

  @ApiPropertyOptional({ minimum: BUFFER_MINUTES.min, maximum: BUFFER_MINUTES.max, default: 0, example: 15 })
  @IsOptional()
  @IsInt()
  @Min(BUFFER_MINUTES.min)
  @Max(BUFFER_MINUTES.max)
  bufferMinutes?: number;

  @ApiProperty({ example: '2026-12-01', description: 'First local date the rule applies' })
  @IsIsoDateOnly()
  validFrom: string;

  @ApiPropertyOptional({ type: String, nullable: true, example: null, description: 'Last local date (inclusive); null = open-ended' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsIsoDateOnly()
  validUntil?: string | null;
}

export class AvailabilityDto {
  @ApiProperty({ type: [RuleDto], description: 'Every rule at the location; replaces what was there' })
  @IsDefined()
  @IsArray()
  @ArrayMaxSize(MAX_RULES_PER_LOCATION)
  @ValidateNested({ each: true })
  @Type(() => RuleDto)
  rules: RuleDto[];
}

export class RuleView {
  @ApiProperty({ format: 'uuid' }) locationId: string;
  @ApiProperty({ example: 2 }) weekday: number;
  @ApiProperty({ example: '10:00' }) startTime: string;
  @ApiProperty({ example: '14:00' }) endTime: string;
  @ApiProperty({ example: 45 }) sessionMinutes: number;
  @ApiProperty({ example: 15 }) bufferMinutes: number;
  @ApiProperty({ example: '2026-12-01' }) validFrom: string;
  @ApiProperty({ type: String, nullable: true, example: null }) validUntil: string | null;
}

export class AvailabilityView {
  @ApiProperty({ type: [RuleView] }) rules: RuleView[];
}

export class AffectedByRulesView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() reference: string;
  @ApiProperty() start: string;
  @ApiProperty() end: string;
  @ApiProperty() status: string;
  @ApiProperty({ type: String, nullable: true }) tutorId: string | null;
}

export class ReplacedAvailabilityView extends AvailabilityView {
  @ApiProperty({ type: [AffectedByRulesView], description: 'Bookings at this branch, not started yet, that the new rules no longer cover (not changed)' })
  affectedBookings: AffectedByRulesView[];
}

export class AvailabilityQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only the rules at this location' })
  @IsOptional()
  @Transform(lowerCase)
  @IsUUID()
  locationId?: string;
}

export class AvailabilityPutQuery {
  @ApiProperty({ format: 'uuid', description: 'One of the tutor’s locations' })
  @IsDefined()
  @Transform(lowerCase)
  @IsUUID()
  locationId: string;
}
