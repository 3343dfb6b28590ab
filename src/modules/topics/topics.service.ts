import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { QueryFailedError, Repository } from 'typeorm';
import { maySeeInactiveTopics } from '../../common/access/topic-access';
import { Principal } from '../../common/auth/principal';
import { assertIfMatch } from '../../common/http/if-match';
import { decodeCursor, Page, toPage } from '../../common/http/pagination';
import { ProblemException } from '../../common/problem/problem.exception';
import { CreateTopicDto, TopicView, UpdateTopicDto } from './dto/topic.dto';
import { TopicEntity } from './entities/topic.entity';

type TopicCursor = [number, string];
const isTopicCursor = (v: unknown): v is TopicCursor =>
  Array.isArray(v) && v.length === 2 && Number.isInteger(v[0]) && typeof v[1] === 'string';

export interface TopicRef {
  id: string;
  slug: string;
  active: boolean;
}

@Injectable()
export class TopicsService {
  constructor(@InjectRepository(TopicEntity) private readonly topics: Repository<TopicEntity>) {}

  static view(t: TopicEntity): TopicView {
    return {
      id: t.id,
      slug: t.slug,
      name: { fi: t.nameFi, sv: t.nameSv, en: t.nameEn },
      sortOrder: t.sortOrder,
      active: t.active,
      version: t.version,
    };
  }

  /** Active topics for everyone; admins see inactive ones too. */
  async list(caller: Principal | undefined, limit = 50, cursor?: string): Promise<Page<TopicView>> {
    const qb = this.topics.createQueryBuilder('t').orderBy('t.sortOrder', 'ASC').addOrderBy('t.slug', 'ASC').limit(limit + 1);
    if (!maySeeInactiveTopics(caller)) qb.andWhere('t.active = true');
    if (cursor) {
      const [sortOrder, slug] = decodeCursor(cursor, isTopicCursor);
      qb.andWhere('(t.sort_order, t.slug) > (:sortOrder, :slug)', { sortOrder, slug });
    }
    const rows = await qb.getMany();
    return toPage(rows.map(TopicsService.view), limit, (last) => [last.sortOrder, last.slug]);
  }

  async get(caller: Principal | undefined, id: string): Promise<TopicView> {
    const topic = await this.topics.findOneBy({ id });
    if (!topic || (!topic.active && !maySeeInactiveTopics(caller))) throw ProblemException.notFound('topic');
    return TopicsService.view(topic);
  }

  async create(dto: CreateTopicDto): Promise<TopicView> {
    // A friendly pre-check; the unique index is the guard when two requests race.
    if (await this.topics.existsBy({ slug: dto.slug })) throw slugTaken();
    try {
      const saved = await this.topics.save(
        this.topics.create({
          slug: dto.slug,
          nameFi: dto.name.fi,
          nameSv: dto.name.sv,
          nameEn: dto.name.en,
          sortOrder: dto.sortOrder ?? 1000,
          active: dto.active ?? true,
        }),
      );
      return TopicsService.view(await this.topics.findOneByOrFail({ id: saved.id }));
    } catch (error) {
      throw isUniqueViolation(error) ? slugTaken() : error;
    }
  }

  async update(id: string, dto: UpdateTopicDto, ifMatch?: string): Promise<TopicView> {
    const topic = await this.topics.findOneBy({ id });
    if (!topic) throw ProblemException.notFound('topic');
    assertIfMatch(ifMatch, topic.version);
    const result = await this.topics
      .createQueryBuilder()
      .update(TopicEntity)
      .set({
        nameFi: dto.name?.fi ?? topic.nameFi,
        nameSv: dto.name?.sv ?? topic.nameSv,
        nameEn: dto.name?.en ?? topic.nameEn,
        sortOrder: dto.sortOrder ?? topic.sortOrder,
        active: dto.active ?? topic.active,
        version: () => 'version + 1',
      })
      .where('id = :id AND version = :version', { id, version: topic.version })
      .execute();
    if (result.affected === 0) throw new ProblemException('version-mismatch', 'The topic changed while you edited it.');
    return TopicsService.view(await this.topics.findOneByOrFail({ id }));
  }

  /** For other modules: the topics with these slugs (missing slugs are simply absent). */
  async findBySlugs(slugs: string[]): Promise<Map<string, TopicRef>> {
    if (slugs.length === 0) return new Map();
    const rows = await this.topics
      .createQueryBuilder('t')
      .select(['t.id', 't.slug', 't.active'])
      .where('t.slug = ANY(:slugs)', { slugs })
      .getMany();
    return new Map(rows.map((t) => [t.slug, { id: t.id, slug: t.slug, active: t.active }]));
  }
}

function slugTaken(): ProblemException {
  return new ProblemException('already-exists', 'A topic with this slug exists already.');
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof QueryFailedError && (error.driverError as { code?: string } | undefined)?.code === '23505';
}
