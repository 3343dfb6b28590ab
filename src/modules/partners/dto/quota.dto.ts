import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNumber, IsOptional, IsUUID, Max, Min } from 'class-validator';

export class QuotaQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'The branch; without it the partner-wide quota' })
  @IsOptional()
  @IsUUID()
  locationId?: string;
}

export class PutQuotaDto {
  @ApiProperty({ example: 20, minimum: 0, maximum: 10000, description: 'Hours per calendar month (Europe/Helsinki), at most two decimals' })
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 })
  @Min(0)
  @Max(10000)
  hoursPerMonth: number;
}

export class QuotaView {
  @ApiProperty({ format: 'uuid' }) partnerId: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'null: the partner-wide quota' }) locationId: string | null;
  @ApiProperty({ example: 20 }) hoursPerMonth: number;
}
