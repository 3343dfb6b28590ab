import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Principal } from '../../common/auth/principal';
import { assertIfMatch } from '../../common/http/if-match';
import { decodeCursor, Page, toPage } from '../../common/http/pagination';
import { ProblemException } from '../../common/problem/problem.exception';
import { CreateUserDto, UpdateUserDto, UserView } from './dto/user.dto';
import { UserEntity } from './entities/user.entity';
import { PasswordHasher } from './password-hasher';
import { assertCanSeeUser, canManageUser, mayAssignBranches, mayCreateRole, mayEditAccountFields, userScopeSql } from '../../common/access/user-access';
import { TutorLocations } from './tutor-locations';

const isEmailCursor = (v: unknown): v is string => typeof v === 'string';

@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    private readonly hasher: PasswordHasher,
    private readonly tutorLocations: TutorLocations,
  ) {}

  static view(u: UserEntity): UserView {
    return {
      id: u.id,
      email: u.email,
      role: u.role,
      locationIds: u.locationIds,
      tutorId: u.tutorId,
      partnerId: u.partnerId,
      active: u.active,
      notify: u.notify,
      version: u.version,
    };
  }

  async list(caller: Principal, limit = 50, cursor?: string): Promise<Page<UserView>> {
    const qb = this.users.createQueryBuilder('u').orderBy('u.email', 'ASC').take(limit + 1);
    if (cursor) qb.andWhere('u.email > :after', { after: decodeCursor(cursor, isEmailCursor) });
    const visible = await userScopeSql(caller, (locationIds) => this.tutorLocations.tutorsAt(locationIds));
    if (visible) qb.andWhere(visible.where, visible.params);
    const rows = await qb.getMany();
    return toPage(rows.map(UsersService.view), limit, (last) => last.email);
  }

  async get(caller: Principal, id: string): Promise<UserView> {
    return UsersService.view(await this.findVisible(caller, id));
  }

  async create(caller: Principal, dto: CreateUserDto): Promise<UserView> {
    const draft = {
      id: '',
      role: dto.role,
      tutorId: dto.tutorId ?? null,
      partnerId: dto.partnerId ?? null,
    };
    // A caller who may not create this kind of account learns that before anything about the ids.
    if (!mayCreateRole(caller, dto.role)) throw new ProblemException('forbidden', 'You may not create this kind of account.');
    await this.assertConsistent(dto.role, dto.tutorId ?? null, dto.partnerId ?? null, dto.locationIds ?? []);
    const tutorLocations = draft.tutorId ? await this.tutorLocations.locationsOf(draft.tutorId) : [];
    if (!canManageUser(caller, draft, tutorLocations) || (!mayAssignBranches(caller) && dto.locationIds?.length)) {
      throw new ProblemException('forbidden', 'You may not create this kind of account.');
    }
    await this.assertEmailFree(dto.email);
    const saved = await this.users.save(
      this.users.create({
        email: dto.email,
        passwordHash: await this.hasher.hash(dto.password),
        role: dto.role,
        locationIds: dto.locationIds ?? [],
        tutorId: draft.tutorId,
        partnerId: draft.partnerId,
        active: dto.active ?? true,
        notify: dto.notify ?? true,
      }),
    );
    return this.get(caller, saved.id);
  }

  async update(caller: Principal, id: string, dto: UpdateUserDto, ifMatch?: string): Promise<UserView> {
    const user = await this.findVisible(caller, id);
    const tutorLocations = user.tutorId ? await this.tutorLocations.locationsOf(user.tutorId) : [];
    if (!canManageUser(caller, user, tutorLocations)) throw new ProblemException('forbidden', 'You may not change this account.');
    const changes = Object.keys(dto).filter((k) => dto[k as keyof UpdateUserDto] !== undefined);
    if (!mayEditAccountFields(caller) && changes.some((k) => k !== 'active' && k !== 'notify')) {
      throw new ProblemException('forbidden', 'You may only enable or disable this account, or its e-mails.');
    }
    if (dto.active === false && user.id === caller.id) {
      throw ProblemException.validation('active', 'self-disable', 'You cannot disable your own account.');
    }
    assertIfMatch(ifMatch, user.version);
    const next = {
      role: dto.role ?? user.role,
      tutorId: dto.tutorId === undefined ? user.tutorId : dto.tutorId,
      partnerId: dto.partnerId === undefined ? user.partnerId : dto.partnerId,
      locationIds: dto.locationIds ?? user.locationIds,
    };
    // Only the references this edit sets are checked: an unchanged one stays as it is.
    await this.assertConsistent(next.role, next.tutorId, next.partnerId, next.locationIds, {
      tutorId: dto.tutorId ?? null,
      partnerId: dto.partnerId ?? null,
      locationIds: dto.locationIds ?? [],
    });
    if (dto.email && dto.email !== user.email) await this.assertEmailFree(dto.email);
    // A new password, and disabling, end every token issued so far: a later re-enable does not revive them.
    const endsTokens = dto.password !== undefined || (dto.active === false && user.active);
    const passwordChange = {
      ...(dto.password ? { passwordHash: await this.hasher.hash(dto.password) } : {}),
      ...(endsTokens ? { tokenGeneration: user.tokenGeneration + 1 } : {}),
    };
    // The version in WHERE makes a concurrent edit fail instead of being overwritten.
    const result = await this.users
      .createQueryBuilder()
      .update(UserEntity)
      .set({ ...next, ...passwordChange, email: dto.email ?? user.email, active: dto.active ?? user.active, notify: dto.notify ?? user.notify, version: () => 'version + 1' })
      .where('id = :id AND version = :version', { id, version: user.version })
      .execute();
    if (result.affected === 0) throw new ProblemException('version-mismatch', 'The account changed while you edited it.');
    return this.get(caller, id);
  }

  /** For the auth module: the active account a token names, or undefined. */
  async findForToken(id: string, tokenGeneration: number): Promise<Principal | undefined> {
    const user = await this.users.findOneBy({ id, active: true, tokenGeneration });
    return user ? toPrincipal(user) : undefined;
  }

  findByEmail(email: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ email: email.trim().toLowerCase() });
  }

  async changePassword(userId: string, newPassword: string): Promise<void> {
    await this.users.update(
      { id: userId },
      { passwordHash: await this.hasher.hash(newPassword), tokenGeneration: () => 'token_generation + 1', version: () => 'version + 1' },
    );
  }

  /** Creates an admin if the e-mail has no account yet (start-up and `npm run admin:create`). */
  async ensureAdmin(email: string, password: string): Promise<'created' | 'exists'> {
    const normalised = email.trim().toLowerCase();
    const result = await this.users
      .createQueryBuilder()
      .insert()
      .into(UserEntity)
      .values({ email: normalised, passwordHash: await this.hasher.hash(password), role: 'admin', locationIds: [] })
      .orIgnore()
      .execute();
    return result.identifiers.length && result.identifiers[0] ? 'created' : 'exists';
  }

  private async findVisible(caller: Principal, id: string): Promise<UserEntity> {
    const user = await this.users.findOneBy({ id });
    const tutorLocations = user?.tutorId ? await this.tutorLocations.locationsOf(user.tutorId) : [];
    return assertCanSeeUser(caller, user ?? undefined, tutorLocations);
  }

  private async assertEmailFree(email: string): Promise<void> {
    if (await this.users.existsBy({ email })) {
      throw new ProblemException('already-exists', 'An account with this e-mail exists already.');
    }
  }

  private async assertConsistent(
    role: string,
    tutorId: string | null,
    partnerId: string | null,
    locationIds: string[],
    toCheck = { tutorId, partnerId, locationIds },
  ) {
    if (role === 'tutor' && !tutorId) throw ProblemException.validation('tutorId', 'required', 'A tutor account needs tutorId.');
    if (role === 'partner' && !partnerId) throw ProblemException.validation('partnerId', 'required', 'A partner account needs partnerId.');
    if (role === 'staff' && locationIds.length === 0) {
      throw ProblemException.validation('locationIds', 'required', 'A staff account needs at least one location.');
    }
    await this.tutorLocations.assertReferencesExist(toCheck);
  }
}

export function toPrincipal(u: UserEntity): Principal {
  return { id: u.id, email: u.email, role: u.role, locationIds: u.locationIds, tutorId: u.tutorId, partnerId: u.partnerId };
}
