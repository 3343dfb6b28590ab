import { Body, Controller, Get, Headers, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentUser } from '../../common/auth/current-user.decorator';
import type { Principal } from '../../common/auth/principal';
import { etagOf } from '../../common/http/if-match';
import { ListQuery } from '../../common/http/pagination';
import { uuidParam } from '../../common/http/uuid-param';
import { CreateUserDto, UpdateUserDto, UserView } from './dto/user.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOperation({ summary: 'Accounts the caller may see' })
  list(@CurrentUser() caller: Principal, @Query() query: ListQuery) {
    return this.users.list(caller, query.limit, query.cursor);
  }

  @Get(':id')
  @ApiOkResponse({ type: UserView })
  async get(@CurrentUser() caller: Principal, @Param('id', uuidParam) id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    return withEtag(reply, await this.users.get(caller, id));
  }

  @Post()
  @ApiOperation({ summary: 'Create an account (admin any; staff tutor accounts; partner users their own partner’s)' })
  async create(@CurrentUser() caller: Principal, @Body() dto: CreateUserDto, @Res({ passthrough: true }) reply: FastifyReply) {
    return withEtag(reply, await this.users.create(caller, dto));
  }

  @Patch(':id')
  async update(
    @CurrentUser() caller: Principal,
    @Param('id', uuidParam) id: string,
    @Body() dto: UpdateUserDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.users.update(caller, id, dto, ifMatch));
  }
}

function withEtag<T extends { version: number }>(reply: FastifyReply, view: T): T {
  void reply.header('etag', etagOf(view.version));
  return view;
}

