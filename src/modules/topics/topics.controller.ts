import { Body, Controller, Get, Headers, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentUser } from '../../common/auth/current-user.decorator';
import type { Principal } from '../../common/auth/principal';
import { PublicIdentified } from '../../common/auth/public.decorator';
import { Roles } from '../../common/auth/roles.decorator';
import { etagOf } from '../../common/http/if-match';
import { ListQuery } from '../../common/http/pagination';
import { uuidParam } from '../../common/http/uuid-param';
import { CreateTopicDto, TopicListView, TopicView, UpdateTopicDto } from './dto/topic.dto';
import { TopicsService } from './topics.service';

@ApiTags('topics')
@Controller('topics')
export class TopicsController {
  constructor(private readonly topics: TopicsService) {}

  @PublicIdentified()
  @Get()
  @ApiOkResponse({ type: TopicListView })
  @ApiOperation({ summary: 'The help topics: active ones for everyone, inactive ones too for admins' })
  list(@CurrentUser() caller: Principal | undefined, @Query() query: ListQuery) {
    return this.topics.list(caller, query.limit, query.cursor);
  }

  @PublicIdentified()
  @Get(':id')
  @ApiOkResponse({ type: TopicView })
  async get(@CurrentUser() caller: Principal | undefined, @Param('id', uuidParam) id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    return withEtag(reply, await this.topics.get(caller, id));
  }

  @Roles('admin')
  @Post()
  @ApiBearerAuth()
  @ApiCreatedResponse({ type: TopicView })
  @ApiOperation({ summary: 'Add a topic (admin); 409 already-exists for a taken slug' })
  async create(@Body() dto: CreateTopicDto, @Res({ passthrough: true }) reply: FastifyReply) {
    return withEtag(reply, await this.topics.create(dto));
  }

  @Roles('admin')
  @Patch(':id')
  @ApiBearerAuth()
  @ApiOkResponse({ type: TopicView })
  @ApiOperation({ summary: 'Rename, reorder or (de)activate a topic (admin); the slug stays' })
  async update(
    @Param('id', uuidParam) id: string,
    @Body() dto: UpdateTopicDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.topics.update(id, dto, ifMatch));
  }
}

function withEtag<T extends { version: number }>(reply: FastifyReply, view: T): T {
  void reply.header('etag', etagOf(view.version));
  return view;
}
