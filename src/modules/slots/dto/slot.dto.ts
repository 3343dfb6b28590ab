import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';

export class SlotQueryDto {
  @ApiPropertyOptional({ description: 'date (YYYY-MM-DD, local) or instant with offset; default now' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  from?: string;

  @ApiPropertyOptional({ description: 'date (inclusive) or instant (exclusive); default from + 14 days; at most 62 days' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  to?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  locationId?: string;

  @ApiPropertyOptional({ example: '286', description: 'official 3-digit municipality code' })
  @IsOptional()
  @Matches(/^\d{3}$/, { message: 'municipality must be a 3-digit code' })
  municipality?: string;

  @ApiPropertyOptional({ example: 'online-banking' })
  @IsOptional()
  @Matches(/^[a-z0-9]+(-[a-z0-9]+)*$/, { message: 'topic must be a topic slug' })
  @MaxLength(60)
  topic?: string;

  @ApiPropertyOptional({ example: 'fi', description: 'ISO 639-1' })
  @IsOptional()
  @Matches(/^[a-z]{2}$/, { message: 'language must be an ISO 639-1 code' })
  language?: string;

  @ApiPropertyOptional({ enum: ['tutoring', 'advisory'] })
  @IsOptional()
  @IsIn(['tutoring', 'advisory'])
  kind?: 'tutoring' | 'advisory';

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(500)
  cursor?: string;
}

export class SlotView {
  @ApiProperty({ example: '2026-12-01T10:00:00+02:00' }) start: string;
  @ApiProperty({ example: '2026-12-01T10:45:00+02:00' }) end: string;
  @ApiProperty({ format: 'uuid' }) locationId: string;
  @ApiProperty({ format: 'uuid' }) tutorId: string;
  @ApiProperty({ example: 'Matti V.' }) tutorDisplayName: string;
  @ApiProperty({ type: [String] }) topics: string[];
  @ApiProperty({ type: [String] }) languages: string[];
  @ApiProperty({ enum: ['tutoring', 'advisory'] }) kind: 'tutoring' | 'advisory';
  @ApiProperty({ type: String, nullable: true }) partnerId: string | null;
  @ApiProperty({ type: String, nullable: true }) claimId: string | null;
  @ApiProperty({ type: String, nullable: true }) roomId: string | null;
}
