import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsDefined, IsInt, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { trimmed } from '../../../common/http/transforms';


export class TopicNameDto {
  @ApiProperty({ example: 'Verkkopankki ja vahva tunnistautuminen' })
  @Transform(trimmed)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  fi: string;

  @ApiProperty({ example: 'Nätbank och stark autentisering' })
  @Transform(trimmed)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  sv: string;

  @ApiProperty({ example: 'Online banking and strong identification' })
  @Transform(trimmed)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  en: string;
}

/** A plain-language description for residents; empty strings where none is written yet. */
export class TopicDescriptionDto {
  @ApiProperty({ example: 'Verkkopankin ja pankkisovelluksen käyttö.', maxLength: 500 })
  @Transform(trimmed)
  @IsString()
  @MaxLength(500)
  fi: string;

  @ApiProperty({ example: 'Att använda nätbanken och bankappen.', maxLength: 500 })
  @Transform(trimmed)
  @IsString()
  @MaxLength(500)
  sv: string;

  @ApiProperty({ example: 'Using online banking and your bank’s app.', maxLength: 500 })
  @Transform(trimmed)
  @IsString()
  @MaxLength(500)
  en: string;
}

export class TopicView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'online-banking' }) slug: string;
  @ApiProperty({ type: TopicNameDto }) name: TopicNameDto;
  @ApiProperty({ type: TopicDescriptionDto }) description: TopicDescriptionDto;
  @ApiProperty({ description: 'Lists are ordered by sortOrder, then slug' }) sortOrder: number;
  @ApiProperty() active: boolean;
  @ApiProperty() version: number;
}

export class TopicListView {
  @ApiProperty({ type: [TopicView] }) items: TopicView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export class CreateTopicDto {
  @ApiProperty({ example: 'online-banking', description: 'Lower-case words joined by hyphens; cannot be changed later' })
  @IsString()
  @MaxLength(60)
  @Matches(SLUG, { message: 'slug is lower-case letters and digits in words joined by single hyphens' })
  slug: string;

  @ApiProperty({ type: TopicNameDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => TopicNameDto)
  name: TopicNameDto;

  @ApiPropertyOptional({ type: TopicDescriptionDto, description: 'Replaced as a whole (all three languages)' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => TopicDescriptionDto)
  description?: TopicDescriptionDto;

  @ApiPropertyOptional({ default: 1000, minimum: 0, maximum: 100000 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100000)
  sortOrder?: number;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

/** The slug is an identifier and stays; `name` is replaced as a whole (all three languages). */
export class UpdateTopicDto {
  @ApiPropertyOptional({ type: TopicNameDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => TopicNameDto)
  name?: TopicNameDto;

  @ApiPropertyOptional({ type: TopicDescriptionDto, description: 'Replaced as a whole (all three languages)' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => TopicDescriptionDto)
  description?: TopicDescriptionDto;

  @ApiPropertyOptional({ minimum: 0, maximum: 100000 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100000)
  sortOrder?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}
