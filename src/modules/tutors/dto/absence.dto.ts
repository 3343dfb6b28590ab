import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';
import { ListQuery } from '../../../common/http/pagination';
import { IsInstantWithOffset } from './validators';
import { trimmed } from '../../../common/http/transforms';


export class CreateAbsenceDto {
  @ApiProperty({ example: '2026-12-07T00:00:00+02:00', description: 'Instant with an offset' })
  @IsInstantWithOffset()
  start: string;

  @ApiProperty({ example: '2026-12-12T00:00:00+02:00', description: 'Instant with an offset, after start, at most 366 days later' })
  @IsInstantWithOffset()
  end: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 500, example: 'Vuosiloma' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @Transform(trimmed)
  @IsString()
  @MaxLength(500)
  reason?: string | null;

  @ApiPropertyOptional({ default: false, description: "Cancel the tutor's confirmed bookings it hits that the caller may see (checked-in ones are only listed)" })
  @IsOptional()
  @IsBoolean()
  cancelAffected?: boolean;
}

export class AffectedBookingView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() reference: string;
  @ApiProperty() start: string;
  @ApiProperty() end: string;
  @ApiProperty() status: string;
  @ApiProperty({ type: String, nullable: true }) tutorId: string | null;
}

export class OtherBranchCountView {
  @ApiProperty({ format: 'uuid' }) locationId: string;
  @ApiProperty() count: number;
}

export class AbsenceView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) tutorId: string;
  @ApiProperty({ example: '2026-12-07T00:00:00+02:00' }) start: string;
  @ApiProperty({ example: '2026-12-12T00:00:00+02:00' }) end: string;
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
  @ApiProperty({
    type: [AffectedBookingView],
    description: "The tutor's active bookings the absence hits that have not ended and that the caller may see, by start; those it cancelled show status cancelled",
  })
  affectedBookings: AffectedBookingView[];
  @ApiProperty({ type: [OtherBranchCountView], description: 'How many more active bookings it hits at branches the caller may not see, by branch' })
  otherBranches: OtherBranchCountView[];
}

export class AbsenceListView {
  @ApiProperty({ type: [AbsenceView] }) items: AbsenceView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class AbsenceListQuery extends ListQuery {
  @ApiPropertyOptional({ description: 'Date (local, from its 00:00) or instant with offset; absences ending after it' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  from?: string;

  @ApiPropertyOptional({ description: 'Date (local, inclusive) or instant with offset (exclusive); absences starting before it' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  to?: string;
}
