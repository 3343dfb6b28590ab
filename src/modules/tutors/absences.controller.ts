import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../../common/auth/current-user.decorator';
import type { Principal } from '../../common/auth/principal';
import { Roles } from '../../common/auth/roles.decorator';
import { uuidParam } from '../../common/http/uuid-param';
import { AbsencesService } from './absences.service';
import { AbsenceListQuery, AbsenceListView, AbsenceView, CreateAbsenceDto } from './dto/absence.dto';

@ApiTags('tutors')
@ApiBearerAuth()
@Controller('tutors/:id/absences')
export class AbsencesController {
  constructor(private readonly absences: AbsencesService) {}

  @Get()
  @ApiOkResponse({ type: AbsenceListView })
  @ApiOperation({ summary: "The tutor's absences, by start; from/to select those overlapping the range (at most 366 days)" })
  list(@CurrentUser() caller: Principal, @Param('id', uuidParam) id: string, @Query() query: AbsenceListQuery) {
    return this.absences.list(caller, id, query);
  }

  @Get(':aid')
  @ApiOkResponse({ type: AbsenceView })
  get(@CurrentUser() caller: Principal, @Param('id', uuidParam) id: string, @Param('aid', uuidParam) aid: string) {
    return this.absences.get(caller, id, aid);
  }

  @Roles('admin', 'staff')
  @Post()
  @ApiCreatedResponse({ type: AbsenceView })
  @ApiOperation({ summary: 'Record an absence (admins and staff of a branch where the tutor works)' })
  create(@CurrentUser() caller: Principal, @Param('id', uuidParam) id: string, @Body() dto: CreateAbsenceDto) {
    return this.absences.create(caller, id, dto);
  }

  @Roles('admin', 'staff')
  @Delete(':aid')
  @HttpCode(204)
  @ApiNoContentResponse()
  remove(@CurrentUser() caller: Principal, @Param('id', uuidParam) id: string, @Param('aid', uuidParam) aid: string) {
    return this.absences.remove(caller, id, aid);
  }
}
