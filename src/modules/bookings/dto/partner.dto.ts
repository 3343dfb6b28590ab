import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { PeriodListQuery } from '../../../common/http/pagination';
import { BOOKING_STATUSES, BookingStatus } from '../rules/booking-status';
import { lowerCase } from '../../../common/http/transforms';
import { OutcomeView } from './staff.dto';

export class PartnerBookingListQuery extends PeriodListQuery {
  @ApiPropertyOptional({ format: 'uuid', description: "One of the partner's claims" })
  @IsOptional()
  @Transform(lowerCase)
  @IsUUID()
  claimId?: string;

  @ApiPropertyOptional({ example: 'confirmed,completed', description: `One status or several, comma-separated: ${BOOKING_STATUSES.join(', ')}` })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  status?: string;
}

export class PartnerResidentView {
  @ApiProperty({ example: 'Aino' }) firstName: string;
  @ApiPropertyOptional({ type: String, nullable: true, description: "only where the branch's policy.shareContactWithPartners is true" }) phone?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: "only where the branch's policy.shareContactWithPartners is true" }) email?: string | null;
}

export class PartnerAdvisorView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() displayName: string;
}

/** A session in one of the partner's claims, with only what the session needs. */
export class PartnerBookingView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'K7M-4QX' }) reference: string;
  @ApiProperty({ example: '2027-01-05T10:00:00+02:00' }) start: string;
  @ApiProperty({ example: '2027-01-05T10:30:00+02:00' }) end: string;
  @ApiProperty({ example: 'taxes' }) topic: string;
  @ApiProperty({ example: 'fi' }) language: string;
  @ApiProperty({ enum: BOOKING_STATUSES }) status: BookingStatus;
  @ApiProperty({ type: PartnerResidentView }) resident: PartnerResidentView;
  @ApiProperty({ type: String, nullable: true }) notes: string | null;
  @ApiProperty({ type: OutcomeView, nullable: true }) outcome: OutcomeView | null;
  @ApiProperty({ format: 'uuid' }) claimId: string;
  @ApiProperty({ format: 'uuid' }) locationId: string;
  @ApiProperty({ type: PartnerAdvisorView }) advisor: PartnerAdvisorView;
}

export class PartnerBookingListView {
  @ApiProperty({ type: [PartnerBookingView] }) items: PartnerBookingView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
