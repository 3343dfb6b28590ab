import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ListQuery } from '../../../common/http/pagination';

export const MESSAGE_STATUSES = ['queued', 'failed', 'sent', 'dead', 'cancelled'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

export class MessageListQuery extends ListQuery {
  @ApiPropertyOptional({ example: 'failed,dead', description: `One status or several, comma-separated: ${MESSAGE_STATUSES.join(', ')}; default failed,dead` })
  @IsOptional()
  @IsString()
  @Matches(new RegExp(`^(${MESSAGE_STATUSES.join('|')})(,(${MESSAGE_STATUSES.join('|')}))*$`), { message: 'status is one or more of queued, failed, sent, dead, cancelled' })
  status?: string;

  @ApiPropertyOptional({ description: 'Messages created from this instant (with an offset)' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  from?: string;

  @ApiPropertyOptional({ description: 'Messages created before this instant (with an offset)' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  to?: string;
}

/** A delivery as staff see it: what, to whom (kind only), how it went; no address, no text. */
export class MessageView {
  @ApiProperty({ format: 'uuid', description: 'Also the e-mail Message-ID and the SMS id' }) id: string;
  @ApiProperty({ example: 'booking-confirmed' }) template: string;
  @ApiProperty({ enum: ['email', 'sms'] }) channel: 'email' | 'sms';
  @ApiProperty({ enum: ['resident', 'user'] }) recipientKind: 'resident' | 'user';
  @ApiProperty({ enum: MESSAGE_STATUSES }) status: MessageStatus;
  @ApiProperty() attempts: number;
  @ApiProperty({ type: String, nullable: true, description: 'The last failure, without addresses' }) lastError: string | null;
  @ApiProperty({ description: 'When it is (or was) next due' }) nextAttemptAt: string;
  @ApiProperty() createdAt: string;
  @ApiProperty({ type: String, nullable: true }) sentAt: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) bookingId: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) claimId: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) locationId: string | null;
}

export class MessageListView {
  @ApiProperty({ type: [MessageView] }) items: MessageView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
