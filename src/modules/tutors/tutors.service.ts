import { Injectable } from '@nestjs/common';
import { Principal } from '../../common/auth/principal';
import { assertIfMatch } from '../../common/http/if-match';
import { decodeCursor, Page, toPage } from '../../common/http/pagination';
import { FieldError, ProblemException } from '../../common/problem/problem.exception';
import { TopicsService } from '../topics/topics.service';
import { RuleView, toRuleView } from './availability-rules';
import { CreateTutorDto, TutorListQuery, TutorView, UpdateTutorDto } from './dto/tutor.dto';
import { TutorKind } from './tutor-kind';
import { assertCanSeeTutor, mustNameBranchToCreateTutor, tutorWriteVerdict } from '../../common/access/tutor-access';
import { SearchFilter, TutorFields, TutorRecord, TutorsRepository } from './tutors.repository';

type NameCursor = [string, string];
const isNameCursor = (v: unknown): v is NameCursor => Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'string');

/** A rule as the slot engine takes it (slots/engine WeeklyAvailabilityRule). */
export interface SearchRule extends Omit<RuleView, 'locationId'> {
  tutorId: string;
}

/** What the slot search needs of one tutor: one entry per matching branch, with its rules. */
export interface SearchTutor {
  id: string;
  displayName: string;
  kind: TutorKind;
  partnerId: string | null;
  /** Active topic slugs, catalogue order. */
  topics: string[];
  languages: string[];
  locations: { locationId: string; rules: SearchRule[] }[];
}

/** An absence as the slot engine takes it (slots/engine TutorInstantRange). */
export interface SearchAbsence {
  tutorId: string;
  start: Date;
  end: Date;
}

export interface SearchTutorFilter extends SearchFilter {
  /** Only rules valid on some day of this local date range (YYYY-MM-DD, inclusive). */
  dates?: { from: string; to: string };
}

@Injectable()
export class TutorsService {
  constructor(
    private readonly repo: TutorsRepository,
    private readonly topics: TopicsService,
  ) {}

  static view(t: TutorRecord): TutorView {
    return {
      id: t.id,
      displayName: t.displayName,
      kind: t.kind,
      partnerId: t.partnerId,
      email: t.email,
      phone: t.phone,
      locationIds: t.locationIds,
      inactiveLocationIds: t.inactiveLocationIds,
      topics: t.topics,
      languages: t.languages,
      active: t.active,
      version: t.version,
    };
  }

  async list(caller: Principal, q: TutorListQuery): Promise<Page<TutorView>> {
    const limit = q.limit ?? 50;
    if (q.locationId) await this.assertLocationsExist([q.locationId], 'locationId');
    if (q.topic && !(await this.topics.findBySlugs([q.topic])).has(q.topic)) {
      throw ProblemException.validation('topic', 'unknown-topic', 'No topic has this slug.');
    }
    const rows = await this.repo.list({
      visibleTo: caller,
      locationId: q.locationId,
      topic: q.topic,
      language: q.language,
      kind: q.kind,
      partnerId: q.partnerId,
      active: q.active,
      after: q.cursor ? decodeCursor(q.cursor, isNameCursor) : undefined,
      limit: limit + 1,
    });
    return toPage(rows.map(TutorsService.view), limit, (last) => [last.displayName, last.id]);
  }

  async get(caller: Principal, id: string): Promise<TutorView> {
    return TutorsService.view(await this.findVisible(caller, id));
  }

  async create(caller: Principal, dto: CreateTutorDto): Promise<TutorView> {
    const locationIds = dto.locationIds ?? [];
    const fields: TutorFields = {
      displayName: dto.displayName,
      kind: dto.kind,
      partnerId: dto.partnerId ?? null,
      email: dto.email ?? null,
      phone: dto.phone ?? null,
      languages: dto.languages,
      active: dto.active ?? true,
    };
    assertKindConsistent(fields);
    if (fields.partnerId) await this.assertPartnerExists(fields.partnerId);
    if (mustNameBranchToCreateTutor(caller) && locationIds.length === 0) {
      throw ProblemException.validation('locationIds', 'required', 'Give at least one of your branches.');
    }
    await this.assertLocationsExist(locationIds, 'locationIds');
    const topicIds = await this.topicIds(dto.topics ?? [], []);
    const verdict = tutorWriteVerdict(caller, null, { id: '', kind: fields.kind, partnerId: fields.partnerId, locationIds });
    if (!verdict.allowed) throw new ProblemException(verdict.code, verdict.detail);
    const id = await this.repo.transaction(async (m) => {
      const newId = await this.repo.insert(m, fields);
      await this.repo.setLocations(m, newId, locationIds);
      await this.repo.setTopics(m, newId, topicIds);
      return newId;
    });
    return this.get(caller, id);
  }

  async update(caller: Principal, id: string, dto: UpdateTutorDto, ifMatch?: string): Promise<TutorView> {
    const current = await this.findVisible(caller, id);
    const fields: TutorFields = {
      displayName: dto.displayName ?? current.displayName,
      kind: dto.kind ?? current.kind,
      partnerId: dto.partnerId === undefined ? current.partnerId : dto.partnerId,
      email: dto.email === undefined ? current.email : dto.email,
      phone: dto.phone === undefined ? current.phone : dto.phone,
      languages: dto.languages ?? current.languages,
      active: dto.active ?? current.active,
    };
    const locationIds = dto.locationIds ?? current.locationIds;
    assertKindConsistent(fields);
    if (fields.partnerId && fields.partnerId !== current.partnerId) await this.assertPartnerExists(fields.partnerId);
    if (dto.locationIds) await this.assertLocationsExist(dto.locationIds, 'locationIds');
    const topicIds = dto.topics ? await this.topicIds(dto.topics, current.topics) : undefined;
    const verdict = tutorWriteVerdict(caller, current, { id, kind: fields.kind, partnerId: fields.partnerId, locationIds, active: fields.active });
    if (!verdict.allowed) throw new ProblemException(verdict.code, verdict.detail);
    assertIfMatch(ifMatch, current.version);
    await this.repo.transaction(async (m) => {
      // The version in WHERE makes a concurrent edit fail instead of being overwritten.
      if (!(await this.repo.update(m, id, current.version, fields))) {
        throw new ProblemException('version-mismatch', 'The tutor changed while you edited it.');
      }
      if (dto.locationIds) await this.repo.setLocations(m, id, dto.locationIds);
      if (topicIds) await this.repo.setTopics(m, id, topicIds);
    });
    const updated = await this.repo.findById(id);
    if (!updated) throw ProblemException.notFound('tutor');
    // A staff member who just removed their last shared branch no longer sees the tutor.
    return TutorsService.view(updated);
  }

  /** The tutor if the caller may see it; 404 otherwise (also for unknown ids). */
  async findVisible(caller: Principal, id: string): Promise<TutorRecord> {
    return assertCanSeeTutor(caller, await this.repo.findById(id));
  }

  // --- for other modules ---

  /** Ids of tutors working at any of these branches. */
  tutorIdsAt(locationIds: string[]): Promise<string[]> {
    return this.repo.tutorIdsAt(locationIds);
  }

  /** Branches the tutor works at (empty for an unknown tutor). */
  locationsOf(tutorId: string): Promise<string[]> {
    return this.repo.locationsOf(tutorId);
  }

  async tutorExists(id: string): Promise<boolean> {
    return (await this.repo.existingTutors([id])).has(id);
  }

  /** 422 naming `field` when an id names no location. */
  async assertLocationsExist(ids: string[], field: string): Promise<void> {
    const found = await this.repo.existingLocations(ids);
    const missing = ids.filter((id) => !found.has(id.toLowerCase()));
    if (missing.length) throw ProblemException.validation(field, 'unknown-location', `${missing.length} of the location ids name no location.`);
  }

  /** 422 naming `field` when the id names no partner (never the foreign key's 500). */
  async assertPartnerExists(id: string, field = 'partnerId'): Promise<void> {
    if (!(await this.repo.partnerExists(id))) throw ProblemException.validation(field, 'unknown-partner', 'No partner has this id.');
  }

  /**
   * Loads what the slot search needs in four queries, whatever the number of tutors: matching
   * tutors with their matching branches, their active topics, and the rules of those
   * (tutor, branch) pairs. Only active tutors at active branches.
   */
  async loadForSearch(filter: SearchTutorFilter): Promise<SearchTutor[]> {
    const tutors = await this.repo.searchTutors(filter);
    if (tutors.length === 0) return [];
    const ids = tutors.map((t) => t.id);
    const pairs = tutors.flatMap((t) => t.locationIds.map((locationId) => ({ tutorId: t.id, locationId })));
    const [topics, rules] = await Promise.all([this.repo.activeTopicsOf(ids), this.repo.rulesOfPairs(pairs, filter.dates)]);
    const rulesByPair = new Map<string, SearchRule[]>();
    for (const { tutorId, ...rule } of rules) {
      const key = `${tutorId}/${rule.locationId}`;
      const { locationId: _, ...view } = toRuleView(rule);
      rulesByPair.set(key, [...(rulesByPair.get(key) ?? []), { tutorId, ...view }]);
    }
    return tutors.map((t) => ({
      id: t.id,
      displayName: t.displayName,
      kind: t.kind,
      partnerId: t.partnerId,
      topics: topics.get(t.id) ?? [],
      languages: t.languages,
      locations: t.locationIds.map((locationId) => ({ locationId, rules: rulesByPair.get(`${t.id}/${locationId}`) ?? [] })),
    }));
  }

  /** Absences of these tutors overlapping [from, to), one query. */
  async absencesOverlapping(tutorIds: string[], from: Date, to: Date): Promise<SearchAbsence[]> {
    const rows = await this.repo.absencesOverlapping(tutorIds, from, to);
    return rows.map((a) => ({ tutorId: a.tutorId, start: a.startsAt, end: a.endsAt }));
  }

  /**
   * Topic ids for slugs; unknown slugs are 422. An inactive topic may stay on a tutor who has it
   * but may not be added.
   */
  private async topicIds(slugs: string[], current: string[]): Promise<string[]> {
    const found = await this.topics.findBySlugs(slugs);
    const errors: FieldError[] = [];
    for (const slug of slugs) {
      const topic = found.get(slug);
      if (!topic) errors.push({ field: 'topics', code: 'unknown-topic', message: `Topic #${slugs.indexOf(slug) + 1} names no topic.` });
      else if (!topic.active && !current.includes(slug)) {
        errors.push({ field: 'topics', code: 'inactive-topic', message: `Topic #${slugs.indexOf(slug) + 1} is no longer offered.` });
      }
    }
    if (errors.length) throw new ProblemException('validation-failed', 'Some topics are unknown.', errors);
    return slugs.map((s) => (found.get(s) as { id: string }).id);
  }
}

/** Advisors belong to a partner; other tutors to no partner. */
function assertKindConsistent(f: TutorFields): void {
  if (f.kind === 'advisor' && !f.partnerId) {
    throw ProblemException.validation('partnerId', 'required', 'An advisor needs partnerId.');
  }
  if (f.kind !== 'advisor' && f.partnerId) {
    throw ProblemException.validation('partnerId', 'only-for-advisors', 'Only advisors belong to a partner.');
  }
}
