import { randomUUID } from 'node:crypto';
import { newLocation, newTutor, newUser, TestLocation, TestUser, uniqueEmail } from '../support/factories';
import { QuotasRepository } from '../../src/modules/partners/quotas.repository';
import { startTestApp, TestApp } from '../support/test-app';

const PROBLEM = /^application\/problem\+json/;
const fieldsOf = (body: { errors?: { field: string }[] }) => (body.errors ?? []).map((e) => e.field);

describe('partners, partner users, advisors and quotas', () => {
  let t: TestApp;
  let admin: TestUser;
  let staff: TestUser;
  let A: TestLocation;
  let partnerA: string;
  let partnerB: string;
  let userA: TestUser;
  let userB: TestUser;

  const createPartner = async (fi: string, extra: object = {}) =>
    (await t.http.post('/api/v1/partners').set(admin.auth).send({ name: { fi }, kind: 'association', ...extra }).expect(201)).body as { id: string; version: number };

  beforeAll(async () => {
    t = await startTestApp();
    admin = await newUser(t);
    A = await newLocation(t);
    staff = await newUser(t, { role: 'staff', locationIds: [A.id] });
    partnerA = (await createPartner('SeniorSurf A')).id;
    partnerB = (await createPartner('Kumppani B')).id;
    userA = await newUser(t, { role: 'partner', partnerId: partnerA });
    userB = await newUser(t, { role: 'partner', partnerId: partnerB });
  });
  afterAll(() => t.close());

  describe('partners', () => {
    it('admin creates a partner: names default to fi, contact normalised, ETag', async () => {
      const res = await t.http
        .post('/api/v1/partners')
        .set(admin.auth)
        .send({
          name: { fi: 'Verohallinto', sv: 'Skatteförvaltningen', en: 'Finnish Tax Administration' },
          kind: 'agency',
          contact: { email: 'Digituki@Vero.example.fi', phone: '040 123 4567' },
        })
        .expect(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name: { fi: 'Verohallinto', sv: 'Skatteförvaltningen', en: 'Finnish Tax Administration' },
        kind: 'agency',
        contact: { email: 'digituki@vero.example.fi', phone: '+358401234567' },
        active: true,
        deactivatedReason: null,
        version: 1,
      });
      expect(res.headers.etag).toBe('"1"');
      const short = await createPartner('Pankki');
      const got = await t.http.get(`/api/v1/partners/${short.id}`).set(admin.auth).expect(200);
      expect(got.body).toMatchObject({ name: { fi: 'Pankki', sv: 'Pankki', en: 'Pankki' }, contact: { email: null, phone: null } });
    });

    it('refuses bad bodies with 422 by field', async () => {
      const res = await t.http.post('/api/v1/partners').set(admin.auth).send({ name: { fi: '' }, kind: 'bank', contact: { phone: 'abc' } }).expect(422);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(fieldsOf(res.body).sort()).toEqual(['contact.phone', 'kind', 'name.fi']);
    });

    it('a partner user sees only its own partner; staff and tutors see none (404)', async () => {
      const list = await t.http.get('/api/v1/partners').set(userA.auth).expect(200);
      expect(list.body.items.map((p: { id: string }) => p.id)).toEqual([partnerA]);
      await t.http.get(`/api/v1/partners/${partnerA}`).set(userA.auth).expect(200);
      await t.http.get(`/api/v1/partners/${partnerB}`).set(userA.auth).expect(404);
      await t.http.get(`/api/v1/partners/${partnerA}`).set(staff.auth).expect(404);
      expect((await t.http.get('/api/v1/partners').set(staff.auth).expect(200)).body.items).toEqual([]);
      const all = await t.http.get('/api/v1/partners').set(admin.auth).query({ limit: 2 }).expect(200);
      expect(all.body.items).toHaveLength(2);
      expect(all.body.nextCursor).toEqual(expect.any(String));
    });

    it("a partner user edits its own contact, not its name; another partner's answers 404; staff 403", async () => {
      const own = await t.http.patch(`/api/v1/partners/${partnerA}`).set(userA.auth).send({ contact: { email: 'info@seniorsurf.example.fi' } }).expect(200);
      expect(own.body.contact.email).toBe('info@seniorsurf.example.fi');
      await t.http.patch(`/api/v1/partners/${partnerA}`).set(userA.auth).send({ name: { fi: 'Toinen' } }).expect(403);
      await t.http.patch(`/api/v1/partners/${partnerA}`).set(userA.auth).send({ active: false }).expect(403);
      await t.http.patch(`/api/v1/partners/${partnerB}`).set(userA.auth).send({ contact: { email: 'x@example.fi' } }).expect(404);
      await t.http.patch(`/api/v1/partners/${partnerA}`).set(staff.auth).send({ contact: { email: 'x@example.fi' } }).expect(403);
      await t.http.post('/api/v1/partners').set(userA.auth).send({ name: { fi: 'Oma' }, kind: 'other' }).expect(403);
    });

    it('admin deactivates with a reason (stored), If-Match guards the write, reactivation clears it', async () => {
      const p = await createPartner('Lähtevä');
      await t.http.patch(`/api/v1/partners/${p.id}`).set(admin.auth).set('If-Match', '"0"').send({ active: false, reason: 'x' }).expect(412);
      await t.http.patch(`/api/v1/partners/${p.id}`).set(admin.auth).send({ reason: 'ilman' }).expect(422);
      const off = await t.http.patch(`/api/v1/partners/${p.id}`).set(admin.auth).set('If-Match', '"1"').send({ active: false, reason: 'Sopimus päättyi' }).expect(200);
      expect(off.body).toMatchObject({ active: false, deactivatedReason: 'Sopimus päättyi', version: 2 });
      expect(off.headers.etag).toBe('"2"');
      const stored = await t.db.query(`SELECT active, deactivated_reason FROM partners WHERE id = $1`, [p.id]);
      expect(stored).toEqual([{ active: false, deactivated_reason: 'Sopimus päättyi' }]);
      const on = await t.http.patch(`/api/v1/partners/${p.id}`).set(admin.auth).send({ active: true }).expect(200);
      expect(on.body).toMatchObject({ active: true, deactivatedReason: null, version: 3 });
      const inactive = await t.http.get('/api/v1/partners').set(admin.auth).query({ active: 'false', limit: 500 }).expect(200);
      expect(inactive.body.items.map((x: { id: string }) => x.id)).not.toContain(p.id);
    });

    it('unknown and malformed ids answer 404', async () => {
      await t.http.get(`/api/v1/partners/${randomUUID()}`).set(admin.auth).expect(404);
      await t.http.get('/api/v1/partners/not-a-uuid').set(admin.auth).expect(404);
      await t.http.patch(`/api/v1/partners/${randomUUID()}`).set(admin.auth).send({ kind: 'other' }).expect(404);
    });
  });

  describe('partner users', () => {
    const body = (partnerId: string | null, role = 'partner') => ({ email: uniqueEmail('p'), password: 'long-enough-password', role, partnerId });

    it("a partner user creates and disables another user of its own partner", async () => {
      const created = await t.http.post('/api/v1/users').set(userA.auth).send(body(partnerA)).expect(201);
      expect(created.body).toMatchObject({ role: 'partner', partnerId: partnerA, active: true });
      const disabled = await t.http.patch(`/api/v1/users/${created.body.id}`).set(userA.auth).send({ active: false }).expect(200);
      expect(disabled.body.active).toBe(false);
      await t.http.get(`/api/v1/users/${created.body.id}`).set(userB.auth).expect(404);
      await t.http.patch(`/api/v1/users/${created.body.id}`).set(userB.auth).send({ active: true }).expect(404);
    });

    it("refuses users of another partner or of another role (403), and an unknown partner (422 on partnerId)", async () => {
      await t.http.post('/api/v1/users').set(userA.auth).send(body(partnerB)).expect(403);
      await t.http.post('/api/v1/users').set(userA.auth).send({ ...body(null, 'staff'), locationIds: [A.id] }).expect(403);
      const unknown = await t.http.post('/api/v1/users').set(admin.auth).send(body(randomUUID())).expect(422);
      expect(fieldsOf(unknown.body)).toEqual(['partnerId']);
      const ok = await t.http.post('/api/v1/users').set(admin.auth).send(body(partnerB)).expect(201);
      const moved = await t.http.patch(`/api/v1/users/${ok.body.id}`).set(admin.auth).send({ partnerId: randomUUID() }).expect(422);
      expect(fieldsOf(moved.body)).toEqual(['partnerId']);
    });
  });

  describe('advisors', () => {
    const advisor = { displayName: 'Veroneuvoja V.', languages: ['fi', 'sv'], topics: ['taxes'], email: 'neuvoja@example.fi', phone: '040 765 4321' };

    it('a partner user adds, lists, reads and changes its advisors', async () => {
      const created = await t.http.post(`/api/v1/partners/${partnerA}/advisors`).set(userA.auth).send(advisor).expect(201);
      expect(created.body).toMatchObject({
        displayName: 'Veroneuvoja V.',
        kind: 'advisor',
        partnerId: partnerA,
        locationIds: [],
        topics: ['taxes'],
        languages: ['fi', 'sv'],
        phone: '+358407654321',
        active: true,
        version: 1,
      });
      expect(created.headers.etag).toBe('"1"');
      const id = created.body.id as string;
      const list = await t.http.get(`/api/v1/partners/${partnerA}/advisors`).set(userA.auth).expect(200);
      expect(list.body.items.map((a: { id: string }) => a.id)).toEqual([id]);
      await t.http.get(`/api/v1/partners/${partnerA}/advisors/${id}`).set(userA.auth).expect(200);
      await t.http.patch(`/api/v1/partners/${partnerA}/advisors/${id}`).set(userA.auth).set('If-Match', '"7"').send({ active: false }).expect(412);
      const changed = await t.http.patch(`/api/v1/partners/${partnerA}/advisors/${id}`).set(userA.auth).send({ displayName: 'V. Neuvoja', active: false }).expect(200);
      expect(changed.body).toMatchObject({ displayName: 'V. Neuvoja', active: false, version: 2 });
      // the same tutor through /tutors, for the partner user as before
      await t.http.get(`/api/v1/tutors/${id}`).set(userA.auth).expect(200);
    });

    it("partner A on partner B's advisors and B's partner: 404; staff and tutors too", async () => {
      const b = await t.http.post(`/api/v1/partners/${partnerB}/advisors`).set(admin.auth).send(advisor).expect(201);
      await t.http.get(`/api/v1/partners/${partnerB}/advisors/${b.body.id}`).set(userA.auth).expect(404);
      await t.http.get(`/api/v1/partners/${partnerB}/advisors`).set(userA.auth).expect(404);
      await t.http.patch(`/api/v1/partners/${partnerB}/advisors/${b.body.id}`).set(userA.auth).send({ active: false }).expect(404);
      await t.http.post(`/api/v1/partners/${partnerB}/advisors`).set(userA.auth).send(advisor).expect(404);
      // B's advisor under A's path: not A's advisor
      await t.http.get(`/api/v1/partners/${partnerA}/advisors/${b.body.id}`).set(userA.auth).expect(404);
      await t.http.patch(`/api/v1/partners/${partnerA}/advisors/${b.body.id}`).set(userA.auth).send({ active: false }).expect(404);
      await t.http.get(`/api/v1/partners/${partnerB}/advisors/${b.body.id}`).set(staff.auth).expect(404);
      await t.http.post(`/api/v1/partners/${partnerB}/advisors`).set(staff.auth).send(advisor).expect(403);
      const stored = await t.db.query(`SELECT active FROM tutors WHERE id = $1`, [b.body.id]);
      expect(stored).toEqual([{ active: true }]);
    });

    it("a tutor that is not an advisor is not found under a partner; advisor fields are validated as tutors'", async () => {
      const volunteer = await newTutor(t, { locationIds: [A.id] });
      await t.http.get(`/api/v1/partners/${partnerA}/advisors/${volunteer.id}`).set(admin.auth).expect(404);
      const bad = await t.http.post(`/api/v1/partners/${partnerA}/advisors`).set(userA.auth).send({ displayName: '', languages: ['xx'], topics: ['no-such-topic'] }).expect(422);
      expect(fieldsOf(bad.body).sort()).toEqual(['displayName', 'languages']);
      const topic = await t.http.post(`/api/v1/partners/${partnerA}/advisors`).set(userA.auth).send({ ...advisor, topics: ['no-such-topic'] }).expect(422);
      expect(fieldsOf(topic.body)).toEqual(['topics']);
      // kind, partnerId and branches are not the partner's to set
      await t.http.post(`/api/v1/partners/${partnerA}/advisors`).set(userA.auth).send({ ...advisor, partnerId: partnerB }).expect(422);
      await t.http.post(`/api/v1/partners/${partnerA}/advisors`).set(userA.auth).send({ ...advisor, locationIds: [A.id] }).expect(422);
    });

    it('/tutors with an unknown partnerId answers 422 on partnerId, never 500', async () => {
      const create = await t.http
        .post('/api/v1/tutors')
        .set(admin.auth)
        .send({ displayName: 'Orpo', kind: 'advisor', partnerId: randomUUID(), languages: ['fi'] })
        .expect(422);
      expect(fieldsOf(create.body)).toEqual(['partnerId']);
      const ok = await t.http.post('/api/v1/tutors').set(admin.auth).send({ displayName: 'Neuvoja', kind: 'advisor', partnerId: partnerA, languages: ['fi'] }).expect(201);
      const patch = await t.http.patch(`/api/v1/tutors/${ok.body.id}`).set(admin.auth).send({ partnerId: randomUUID() }).expect(422);
      expect(fieldsOf(patch.body)).toEqual(['partnerId']);
    });
  });

  describe('quotas', () => {
    const quota = (partnerId: string, locationId?: string) => `/api/v1/partners/${partnerId}/quota${locationId ? `?locationId=${locationId}` : ''}`;

    it('admin puts, reads and deletes a partner-wide and a branch quota', async () => {
      await t.http.get(quota(partnerA)).set(admin.auth).expect(404);
      const put = await t.http.put(quota(partnerA)).set(admin.auth).send({ hoursPerMonth: 20.5 }).expect(200);
      expect(put.body).toEqual({ partnerId: partnerA, locationId: null, hoursPerMonth: 20.5 });
      await t.http.put(quota(partnerA)).set(admin.auth).send({ hoursPerMonth: 30 }).expect(200);
      await t.http.put(quota(partnerA, A.id)).set(admin.auth).send({ hoursPerMonth: 0 }).expect(200);
      expect((await t.http.get(quota(partnerA)).set(admin.auth).expect(200)).body.hoursPerMonth).toBe(30);
      expect((await t.http.get(quota(partnerA, A.id)).set(userA.auth).expect(200)).body).toEqual({ partnerId: partnerA, locationId: A.id, hoursPerMonth: 0 });
      expect(await t.db.query(`SELECT count(*)::int AS n FROM partner_quotas WHERE partner_id = $1`, [partnerA])).toEqual([{ n: 2 }]);
      await t.http.delete(quota(partnerA, A.id)).set(admin.auth).expect(204);
      await t.http.delete(quota(partnerA, A.id)).set(admin.auth).expect(404);
      await t.http.get(quota(partnerA, A.id)).set(admin.auth).expect(404);
      await t.http.get(quota(partnerA)).set(admin.auth).expect(200);
    });

    it('quotaLimits gives the partner-wide and the branch quota that apply, also inside a transaction', async () => {
      const quotas = t.app.get(QuotasRepository);
      const C = await newLocation(t);
      const p = await createPartner('Kiintiöity');
      await expect(quotas.quotaLimits(p.id, C.id)).resolves.toEqual({ partner: null, location: null });
      await t.http.put(quota(p.id, C.id)).set(admin.auth).send({ hoursPerMonth: 7.25 }).expect(200);
      await expect(quotas.quotaLimits(p.id, C.id)).resolves.toEqual({ partner: null, location: 7.25 });
      await t.http.put(quota(p.id)).set(admin.auth).send({ hoursPerMonth: 40 }).expect(200);
      await expect(quotas.quotaLimits(p.id, A.id)).resolves.toEqual({ partner: 40, location: null });
      await expect(t.db.transaction((m) => quotas.quotaLimits(p.id, C.id, m))).resolves.toEqual({ partner: 40, location: 7.25 });
    });

    it('refuses negative, too large, non-number and over-precise hours, and an unknown branch (422)', async () => {
      for (const hoursPerMonth of [-1, 10000.01, '20', null, 1.234]) {
        const res = await t.http.put(quota(partnerB)).set(admin.auth).send({ hoursPerMonth }).expect(422);
        expect([hoursPerMonth, fieldsOf(res.body)]).toEqual([hoursPerMonth, ['hoursPerMonth']]);
      }
      const unknown = await t.http.put(quota(partnerB, randomUUID())).set(admin.auth).send({ hoursPerMonth: 5 }).expect(422);
      expect(fieldsOf(unknown.body)).toEqual(['locationId']);
      const malformed = await t.http.put(`/api/v1/partners/${partnerB}/quota?locationId=nope`).set(admin.auth).send({ hoursPerMonth: 5 }).expect(422);
      expect(fieldsOf(malformed.body)).toEqual(['locationId']);
      await t.http.put(quota(randomUUID())).set(admin.auth).send({ hoursPerMonth: 5 }).expect(404);
      await t.http.put(quota(partnerB)).set(admin.auth).send({ hoursPerMonth: 10000 }).expect(200);
    });

    it('only admins set quotas; a partner reads only its own', async () => {
      await t.http.put(quota(partnerB)).set(admin.auth).send({ hoursPerMonth: 12 }).expect(200);
      await t.http.put(quota(partnerB)).set(userB.auth).send({ hoursPerMonth: 99 }).expect(403);
      await t.http.delete(quota(partnerB)).set(userB.auth).expect(403);
      await t.http.get(quota(partnerB)).set(userB.auth).expect(200);
      await t.http.get(quota(partnerB)).set(userA.auth).expect(404);
      await t.http.get(quota(partnerB)).set(staff.auth).expect(404);
    });
  });
});
