import { Body, Controller, Get, HttpCode, Post, Put, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentUser } from '../../common/auth/current-user.decorator';
import type { Principal } from '../../common/auth/principal';
import { Public } from '../../common/auth/public.decorator';
import { UsersService } from '../users/users.service';
import { AuthService } from './auth.service';
import { ChangePasswordDto, LoginDto, TokenView } from './dto/auth.dto';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({ type: TokenView })
  @ApiOperation({ summary: 'Log in; rate-limited per account and per IP' })
  login(@Body() dto: LoginDto, @Req() request: FastifyRequest) {
    return this.auth.login(dto.email, dto.password, request.ip);
  }

  @Get('me')
  @ApiBearerAuth()
  me(@CurrentUser() caller: Principal) {
    return this.users.get(caller, caller.id);
  }

  @Put('password')
  @ApiBearerAuth()
  @ApiOkResponse({ type: TokenView })
  @ApiOperation({ summary: 'Change own password; older tokens of the account stop working, a fresh one is returned' })
  changePassword(@CurrentUser() caller: Principal, @Body() dto: ChangePasswordDto) {
    return this.auth.changePassword(caller, dto.current, dto.new);
  }
}
