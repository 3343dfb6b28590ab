import { Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentUser } from '../../common/auth/current-user.decorator';
import { Principal } from '../../common/auth/principal';
import { Roles } from '../../common/auth/roles.decorator';
import { uuidParam } from '../../common/http/uuid-param';
import { DeliveriesService } from './deliveries.service';
import { MessageListQuery, MessageListView, MessageView } from './dto/message.dto';

@ApiTags('messages')
@Controller('messages')
@Roles('admin', 'staff')
export class MessagesController {
  constructor(private readonly deliveries: DeliveriesService) {}

  @Get()
  @ApiOperation({ summary: 'Deliveries (default: failed and dead), newest first, with attempts and the last error; admin all, staff their branches' })
  @ApiOkResponse({ type: MessageListView })
  async list(@CurrentUser() caller: Principal, @Query() query: MessageListQuery, @Res({ passthrough: true }) reply: FastifyReply) {
    void reply.header('cache-control', 'no-store');
    return this.deliveries.list(caller, query);
  }

  @Post(':id/retry')
  @HttpCode(200)
  @ApiOperation({ summary: 'Queue a dead (or failed) message again, with every attempt available again; 409 in any other state' })
  @ApiOkResponse({ type: MessageView })
  retry(@CurrentUser() caller: Principal, @Param('id', uuidParam) id: string): Promise<MessageView> {
    return this.deliveries.retry(caller, id);
  }
}
