import { ApiProperty, ApiPropertyOptional, PartialType, PickType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsObject, IsOptional, IsString, MaxLength, ValidateIf, ValidateNested } from 'class-validator';
import { ListQuery } from '../../../common/http/pagination';
import { LocalizedNameDto } from '../../locations/dto/location.dto';
import { CreateTutorDto } from '../../tutors/dto/tutor.dto';
import { queryBoolean, trimmed } from '../../../common/http/transforms';

export const PARTNER_KINDS = ['association', 'agency', 'company', 'other'] as const;
export type PartnerKind = (typeof PARTNER_KINDS)[number];


export class PartnerNameView {
  @ApiProperty({ example: 'Verohallinto' }) fi: string;
  @ApiProperty({ example: 'Skatteförvaltningen' }) sv: string;
  @ApiProperty({ example: 'Finnish Tax Administration' }) en: string;
}

/** A contact's e-mail and phone, validated and normalised as a tutor's (phone in E.164). */
export class PartnerContactDto extends PickType(CreateTutorDto, ['email', 'phone'] as const) {}

export class PartnerContactView {
  @ApiProperty({ type: String, nullable: true }) email: string | null;
  @ApiProperty({ type: String, nullable: true }) phone: string | null;
}

export class PartnerView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: PartnerNameView }) name: PartnerNameView;
  @ApiProperty({ enum: PARTNER_KINDS }) kind: PartnerKind;
  @ApiProperty({ type: PartnerContactView }) contact: PartnerContactView;
  @ApiProperty() active: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'Why an admin took the partner out of use' }) deactivatedReason: string | null;
  @ApiProperty() version: number;
}

export class PartnerListView {
  @ApiProperty({ type: [PartnerView] }) items: PartnerView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class CreatePartnerDto {
  @ApiProperty({ type: LocalizedNameDto, description: 'sv and en default to fi' })
  @IsObject()
  @ValidateNested()
  @Type(() => LocalizedNameDto)
  name: LocalizedNameDto;

  @ApiProperty({ enum: PARTNER_KINDS })
  @IsIn(PARTNER_KINDS)
  kind: PartnerKind;

  @ApiPropertyOptional({ type: PartnerContactDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => PartnerContactDto)
  contact?: PartnerContactDto;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

/**
 * Any subset of the create fields (`contact` merged field by field, `name` replaced) plus the
 * reason recorded when `active` becomes false.
 */
export class UpdatePartnerDto extends PartialType(CreatePartnerDto) {
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 1000, description: 'With active: false — why (told to the partner with its cancelled claims)' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @Transform(trimmed)
  @IsString()
  @MaxLength(1000)
  reason?: string | null;
}

export class PartnerListQuery extends ListQuery {
  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean()
  active?: boolean;
}
