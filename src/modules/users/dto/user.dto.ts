import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { Role, ROLES } from '../../../common/auth/principal';
import { trimmedLowerCase } from '../../../common/http/transforms';

export class UserView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty({ type: [String] }) locationIds: string[];
  @ApiProperty({ type: String, nullable: true }) tutorId: string | null;
  @ApiProperty({ type: String, nullable: true }) partnerId: string | null;
  @ApiProperty() active: boolean;
  @ApiProperty({ description: 'E-mails about sessions booked or cancelled for the tutor, and absences hitting the branch' }) notify: boolean;
  @ApiProperty() version: number;
}

export class CreateUserDto {
  @ApiProperty({ example: 'maija.meikalainen@kouvola.fi' })
  @Transform(trimmedLowerCase)
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty({ minLength: 12, maxLength: 256, writeOnly: true })
  @IsString()
  @MinLength(12)
  @MaxLength(256)
  password: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role: Role;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsUUID('all', { each: true })
  locationIds?: string[];

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsUUID()
  tutorId?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsUUID()
  partnerId?: string | null;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({ default: true, description: 'false: no e-mails about sessions' })
  @IsOptional()
  @IsBoolean()
  notify?: boolean;
}

/** Any subset of the create fields; `password` sets a new one (admin only). */
export class UpdateUserDto extends PartialType(CreateUserDto) {}
