import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

export class LoginDto {
  @ApiProperty({ example: 'staff@kouvola.example' })
  @IsString()
  @MaxLength(254)
  email: string;

  @ApiProperty({ writeOnly: true })
  @IsString()
  @MaxLength(256)
  password: string;
}

export class TokenView {
  @ApiProperty() accessToken: string;
  @ApiProperty({ example: '2026-12-01T11:00:00Z' }) expiresAt: string;
}

export class ChangePasswordDto {
  @ApiProperty({ writeOnly: true })
  @IsString()
  @MaxLength(256)
  current: string;

  @ApiProperty({ writeOnly: true, minLength: 12 })
  @IsString()
  @MinLength(12)
  @MaxLength(256)
  new: string;
}
