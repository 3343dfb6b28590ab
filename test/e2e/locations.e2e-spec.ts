import { LocationsRepository } from '../../src/modules/locations/locations.repository';
import { newLocation, newUser, TestUser } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

const PROBLEM = /^application\/problem\+json/;

const body = (overrides: Record<string, unknown> = {}) => ({
  slug: 'kouvola-paakirjasto',
  name: { fi: 'Kouvolan pääkirjasto', sv: 'Kouvola huvudbibliotek', en: 'Kouvola Main Library' },
  municipality: '286',
  address: { street: 'Salamakuja 3', postalCode: '45100', city: 'Kouvola' },
  timezone: 'Europe/Helsinki',
  accessibility: { fi: 'Esteetön sisäänkäynti', sv: 'Tillgänglig ingång', en: 'Step-free entrance' },
  ...overrides,
});

const fieldsOf = (res: { body: { errors?: { field: string; code: string }[] } }) => (res.body.errors ?? []).map((e) => e.field);

describe('locations', () => {
  let t: TestApp;
  let admin: TestUser;
  beforeAll(async () => {
    t = await startTestApp({ now: '2026-12-01T08:00:00Z' });
    admin = await newUser(t);
  });
  afterAll(() => t.close());

  it('documents the routes in OpenAPI, public reads without security', async () => {
    const doc = (await t.http.get('/api/docs.json').expect(200)).body;
    expect(doc.paths['/api/v1/locations'].get.security).toEqual([]);
    expect(doc.paths['/api/v1/locations/{id}/opening-hours'].get.security).toEqual([]);
    expect(doc.paths['/api/v1/locations'].post.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/api/v1/locations/{id}/weekly-hours'].put.security).toEqual([{ bearer: [] }]);
    for (const path of ['/api/v1/locations/{id}/exceptions/{date}', '/api/v1/locations/{id}/closures/{cid}', '/api/v1/locations/{id}/rooms/{rid}']) {
      expect(doc.paths[path]).toBeDefined();
    }
    expect(doc.components.schemas.CreateLocationDto.required).toEqual(expect.arrayContaining(['name', 'municipality', 'address']));
  });

  describe('municipalities', () => {
    it('ships the Finnish municipalities with fi/sv names', async () => {
      const res = await t.http.get('/api/v1/municipalities').expect(200);
      expect(res.body.items).toHaveLength(309);
      const byCode = new Map(res.body.items.map((m: { code: string }) => [m.code, m]));
      expect(byCode.get('091')).toEqual({ code: '091', name: { fi: 'Helsinki', sv: 'Helsingfors' } });
      expect(byCode.get('286')).toEqual({ code: '286', name: { fi: 'Kouvola', sv: 'Kouvola' } });
      expect(byCode.get('075')).toEqual({ code: '075', name: { fi: 'Hamina', sv: 'Fredrikshamn' } });
      // All of Kymenlaakso.
      for (const code of ['075', '142', '285', '286', '489', '624', '935']) expect(byCode.has(code)).toBe(true);
      // Merged away: Honkajoki (2021), Valtimo (2020).
      expect(byCode.has('099')).toBe(false);
      expect(byCode.has('911')).toBe(false);
    });
  });

  describe('create', () => {
    it('admin creates: 201 with the full resource, policy defaults and an ETag', async () => {
      const res = await t.http.post('/api/v1/locations').set(admin.auth).send(body());
      expect(res.status).toBe(201);
      expect(res.headers.etag).toBe('"1"');
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        slug: 'kouvola-paakirjasto',
        name: { fi: 'Kouvolan pääkirjasto', sv: 'Kouvola huvudbibliotek', en: 'Kouvola Main Library' },
        municipality: { code: '286', name: { fi: 'Kouvola', sv: 'Kouvola' } },
        address: { street: 'Salamakuja 3', postalCode: '45100', city: 'Kouvola' },
        timezone: 'Europe/Helsinki',
        accessibility: { fi: 'Esteetön sisäänkäynti', sv: 'Tillgänglig ingång', en: 'Step-free entrance' },
        active: true,
        policy: { minNoticeMinutes: 120, maxDaysAhead: 60, cancelUntilMinutesBefore: 60, maxActiveBookingsPerContact: 2, shareContactWithPartners: false, reminders: [{ hoursBefore: 24, channel: 'email' }, { hoursBefore: 2, channel: 'sms' }] },
        version: 1,
      });
      const again = await t.http.get(`/api/v1/locations/${res.body.id}`).expect(200);
      expect(again.body).toEqual(res.body);
      expect(again.headers.etag).toBe('"1"');
    });

    it('derives the slug from name.fi, fills sv/en from fi, takes a policy and canonicalises the zone', async () => {
      const res = await t.http
        .post('/api/v1/locations')
        .set(admin.auth)
        .send(body({ slug: undefined, name: { fi: 'Kuusankosken kirjasto' }, timezone: 'europe/helsinki', accessibility: null, policy: { minNoticeMinutes: 0, shareContactWithPartners: true } }));
      expect(res.status).toBe(201);
      expect(res.body.slug).toBe('kuusankosken-kirjasto');
      expect(res.body.name).toEqual({ fi: 'Kuusankosken kirjasto', sv: 'Kuusankosken kirjasto', en: 'Kuusankosken kirjasto' });
      expect(res.body.timezone).toBe('Europe/Helsinki');
      expect(res.body.accessibility).toBeNull();
      expect(res.body.policy).toEqual({ minNoticeMinutes: 0, maxDaysAhead: 60, cancelUntilMinutesBefore: 60, maxActiveBookingsPerContact: 2, shareContactWithPartners: true, reminders: [{ hoursBefore: 24, channel: 'email' }, { hoursBefore: 2, channel: 'sms' }] });
    });

    it('409 for a slug in use', async () => {
      const existing = await newLocation(t);
      const res = await t.http.post('/api/v1/locations').set(admin.auth).send(body({ slug: existing.slug }));
      expect(res.status).toBe(409);
      expect(res.body.type).toBe('/problems/already-exists');
    });

    it('422 for an unknown municipality, naming the field', async () => {
      const res = await t.http.post('/api/v1/locations').set(admin.auth).send(body({ slug: 'x-1', municipality: '999' }));
      expect(res.status).toBe(422);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body.errors).toEqual([{ field: 'municipality', code: 'unknown-municipality', message: expect.any(String) }]);
    });

    it('422 for an unknown time zone', async () => {
      for (const timezone of ['Mars/Olympus_Mons', 'Helsinki', '+02:00']) {
        const res = await t.http.post('/api/v1/locations').set(admin.auth).send(body({ slug: 'x-2', timezone }));
        expect(res.status).toBe(422);
        expect(fieldsOf(res)).toEqual(['timezone']);
      }
    });

    it('422 for malformed fields, by field', async () => {
      const res = await t.http
        .post('/api/v1/locations')
        .set(admin.auth)
        .send({
          slug: 'Not A Slug',
          name: { sv: 'x' },
          municipality: '28',
          address: { street: '', postalCode: 'ABCDE', city: 'Kouvola' },
          policy: { minNoticeMinutes: -1, maxActiveBookingsPerContact: 0 },
          colour: 'red',
        });
      expect(res.status).toBe(422);
      expect(fieldsOf(res)).toEqual(
        expect.arrayContaining([
          'slug',
          'name.fi',
          'municipality',
          'address.street',
          'address.postalCode',
          'policy.minNoticeMinutes',
          'policy.maxActiveBookingsPerContact',
          'colour',
        ]),
      );
    });

    it('staff may not create (403); anonymous 401', async () => {
      const loc = await newLocation(t);
      const staff = await newUser(t, { role: 'staff', locationIds: [loc.id] });
      const res = await t.http.post('/api/v1/locations').set(staff.auth).send(body({ slug: 'x-3' }));
      expect(res.status).toBe(403);
      expect(res.body.type).toBe('/problems/forbidden');
      const anon = await t.http.post('/api/v1/locations').send(body({ slug: 'x-4' }));
      expect(anon.status).toBe(401);
      const count = await t.db.query(`SELECT count(*)::int AS n FROM locations WHERE slug IN ('x-3', 'x-4')`);
      expect(count[0].n).toBe(0);
    });
  });

  describe('read', () => {
    it('anyone reads one; unknown or malformed id → 404', async () => {
      const loc = await newLocation(t);
      const res = await t.http.get(`/api/v1/locations/${loc.id}`).expect(200);
      expect(res.body.id).toBe(loc.id);
      for (const id of ['7a1f0d4e-2b1c-4c3d-8e9f-0a1b2c3d4e5f', 'not-a-uuid']) {
        const missing = await t.http.get(`/api/v1/locations/${id}`);
        expect(missing.status).toBe(404);
        expect(missing.body.type).toBe('/problems/not-found');
      }
    });

    it('lists by municipality and words, in pages, hiding inactive branches unless asked', async () => {
      const tag = 'zx' + Date.now().toString(36);
      const a = await newLocation(t, { slug: `${tag}-a`, municipality: '285', name: { fi: `Kotkan pääkirjasto ${tag}` } });
      const b = await newLocation(t, { slug: `${tag}-b`, municipality: '285', name: { fi: `Karhulan kirjasto ${tag}` } });
      const c = await newLocation(t, { slug: `${tag}-c`, municipality: '075', name: { fi: `Haminan kirjasto ${tag}` } });
      const d = await newLocation(t, { slug: `${tag}-d`, municipality: '285', name: { fi: `Suljettu kirjasto ${tag}` }, active: false });

      const kotka = await t.http.get('/api/v1/locations').query({ municipality: '285', q: tag }).expect(200);
      expect(kotka.body.items.map((l: { id: string }) => l.id)).toEqual([a.id, b.id]);
      expect(kotka.body.nextCursor).toBeNull();

      const words = await t.http.get('/api/v1/locations').query({ q: `pääkirjasto ${tag}` }).expect(200);
      expect(words.body.items.map((l: { id: string }) => l.id)).toEqual([a.id]);

      const all = await t.http.get('/api/v1/locations').query({ q: tag, includeInactive: 'true' }).expect(200);
      expect(all.body.items.map((l: { id: string }) => l.id)).toEqual([a.id, b.id, c.id, d.id]);

      const page1 = await t.http.get('/api/v1/locations').query({ q: tag, limit: 2 }).expect(200);
      expect(page1.body.items.map((l: { id: string }) => l.id)).toEqual([a.id, b.id]);
      expect(page1.body.nextCursor).toEqual(expect.any(String));
      const page2 = await t.http.get('/api/v1/locations').query({ q: tag, limit: 2, cursor: page1.body.nextCursor }).expect(200);
      expect(page2.body.items.map((l: { id: string }) => l.id)).toEqual([c.id]);
      expect(page2.body.nextCursor).toBeNull();
    });

    it('treats % and _ in q as plain characters', async () => {
      const res = await t.http.get('/api/v1/locations').query({ q: '%' }).expect(200);
      expect(res.body.items).toEqual([]);
    });

    it('422 for an unknown municipality, a bad limit or cursor in the query', async () => {
      const unknown = await t.http.get('/api/v1/locations').query({ municipality: '999' });
      expect(unknown.status).toBe(422);
      expect(fieldsOf(unknown)).toEqual(['municipality']);
      const limit = await t.http.get('/api/v1/locations').query({ limit: 501 });
      expect(fieldsOf(limit)).toEqual(['limit']);
      const cursor = await t.http.get('/api/v1/locations').query({ cursor: 'bogus' });
      expect(cursor.status).toBe(422);
      expect(fieldsOf(cursor)).toEqual(['cursor']);
    });
  });

  describe('edit', () => {
    it('staff of the branch edit it; the version and ETag move on; policy merges', async () => {
      const loc = await newLocation(t);
      const staff = await newUser(t, { role: 'staff', locationIds: [loc.id] });
      const res = await t.http
        .patch(`/api/v1/locations/${loc.id}`)
        .set(staff.auth)
        .set('If-Match', '"1"')
        .send({ name: { fi: 'Uusi nimi', sv: 'Nytt namn', en: 'New name' }, policy: { maxDaysAhead: 30 }, municipality: '285' });
      expect(res.status).toBe(200);
      expect(res.headers.etag).toBe('"2"');
      expect(res.body).toMatchObject({
        name: { fi: 'Uusi nimi', sv: 'Nytt namn', en: 'New name' },
        municipality: { code: '285', name: { fi: 'Kotka', sv: 'Kotka' } },
        policy: { minNoticeMinutes: 120, maxDaysAhead: 30, cancelUntilMinutesBefore: 60, maxActiveBookingsPerContact: 2, shareContactWithPartners: false },
        version: 2,
      });
    });

    it('412 for a stale If-Match, leaving the branch unchanged', async () => {
      const loc = await newLocation(t);
      await t.http.patch(`/api/v1/locations/${loc.id}`).set(admin.auth).send({ address: { street: 'Uusi katu 1', postalCode: '45100', city: 'Kouvola' } }).expect(200);
      const stale = await t.http.patch(`/api/v1/locations/${loc.id}`).set(admin.auth).set('If-Match', '"1"').send({ timezone: 'Europe/Stockholm' });
      expect(stale.status).toBe(412);
      expect(stale.body.type).toBe('/problems/version-mismatch');
      const now = await t.http.get(`/api/v1/locations/${loc.id}`).expect(200);
      expect(now.body.timezone).toBe('Europe/Helsinki');
      expect(now.body.version).toBe(2);
    });

    it('staff of another branch → 403 (the branch is public); tutors too; anonymous → 401', async () => {
      const mine = await newLocation(t);
      const theirs = await newLocation(t);
      const staff = await newUser(t, { role: 'staff', locationIds: [mine.id] });
      const tutor = await newUser(t, { role: 'tutor', tutorId: '00000000-0000-4000-8000-000000000001' });
      for (const who of [staff, tutor]) {
        const res = await t.http.patch(`/api/v1/locations/${theirs.id}`).set(who.auth).send({ name: { fi: 'Kaapattu' } });
        expect(res.status).toBe(403);
        expect(res.body.type).toBe('/problems/forbidden');
      }
      expect((await t.http.patch(`/api/v1/locations/${theirs.id}`).send({ name: { fi: 'Kaapattu' } })).status).toBe(401);
      expect((await t.http.get(`/api/v1/locations/${theirs.id}`)).body.name.fi).not.toBe('Kaapattu');
      // An unknown id is 404 whoever asks.
      expect((await t.http.patch('/api/v1/locations/7a1f0d4e-2b1c-4c3d-8e9f-0a1b2c3d4e5f').set(staff.auth).send({})).status).toBe(404);
    });

    it('staff may not take their branch out of use; 422 for a bad zone or municipality', async () => {
      const loc = await newLocation(t);
      const staff = await newUser(t, { role: 'staff', locationIds: [loc.id] });
      expect((await t.http.patch(`/api/v1/locations/${loc.id}`).set(staff.auth).send({ active: false })).status).toBe(403);
      const zone = await t.http.patch(`/api/v1/locations/${loc.id}`).set(staff.auth).send({ timezone: 'Europe/Nowhere' });
      expect(zone.status).toBe(422);
      expect(fieldsOf(zone)).toEqual(['timezone']);
      const muni = await t.http.patch(`/api/v1/locations/${loc.id}`).set(staff.auth).send({ municipality: '000' });
      expect(muni.status).toBe(422);
      expect(fieldsOf(muni)).toEqual(['municipality']);
      expect((await t.http.get(`/api/v1/locations/${loc.id}`)).body.version).toBe(1);
    });

    it('a write based on an old version never overwrites a newer one (the version is checked in the UPDATE)', async () => {
      const loc = await newLocation(t);
      const repo = t.app.get(LocationsRepository);
      const before = (await repo.findById(loc.id))!;
      await t.http.patch(`/api/v1/locations/${loc.id}`).set(admin.auth).send({ name: { fi: 'Ensimmäinen' } }).expect(200);
      const write = { ...before, name: { fi: 'Toinen', sv: 'Toinen', en: 'Toinen' } };
      const ok = await repo.update(loc.id, before.version, {
        slug: write.slug,
        name: write.name,
        municipalityCode: write.municipality_code,
        address: write.address,
        timezone: write.timezone,
        accessibility: write.accessibility,
        active: write.active,
        minNoticeMinutes: write.min_notice_minutes,
        maxDaysAhead: write.max_days_ahead,
        cancelUntilMinutesBefore: write.cancel_until_minutes_before,
        maxActiveBookingsPerContact: write.max_active_bookings_per_contact,
        shareContactWithPartners: write.share_contact_with_partners,
      });
      expect(ok).toBe(false);
      expect((await t.http.get(`/api/v1/locations/${loc.id}`)).body.name.fi).toBe('Ensimmäinen');
    });

    it('409 when renaming to a slug in use', async () => {
      const a = await newLocation(t);
      const b = await newLocation(t);
      const res = await t.http.patch(`/api/v1/locations/${b.id}`).set(admin.auth).send({ slug: a.slug });
      expect(res.status).toBe(409);
      expect(res.body.type).toBe('/problems/already-exists');
    });
  });

  describe('delete', () => {
    it('admin takes a branch out of use (soft); it leaves the list but stays readable; PATCH brings it back', async () => {
      const loc = await newLocation(t, { slug: `poistuva-${Date.now().toString(36)}` });
      const stale = await t.http.delete(`/api/v1/locations/${loc.id}`).set(admin.auth).set('If-Match', '"7"');
      expect(stale.status).toBe(412);
      await t.http.delete(`/api/v1/locations/${loc.id}`).set(admin.auth).set('If-Match', '"1"').expect(200);
      const gone = await t.http.get(`/api/v1/locations/${loc.id}`).expect(200);
      expect(gone.body).toMatchObject({ active: false, version: 2 });
      const list = await t.http.get('/api/v1/locations').query({ q: loc.slug }).expect(200);
      expect(list.body.items).toEqual([]);
      await t.http.delete(`/api/v1/locations/${loc.id}`).set(admin.auth).expect(200); // again: no change (issue 18 item 9: 200 with affectedBookings)
      expect((await t.http.get(`/api/v1/locations/${loc.id}`)).body.version).toBe(2);
      const back = await t.http.patch(`/api/v1/locations/${loc.id}`).set(admin.auth).send({ active: true }).expect(200);
      expect(back.body).toMatchObject({ active: true, version: 3 });
    });

    it('staff may not delete (403), anonymous 401, unknown 404', async () => {
      const loc = await newLocation(t);
      const staff = await newUser(t, { role: 'staff', locationIds: [loc.id] });
      expect((await t.http.delete(`/api/v1/locations/${loc.id}`).set(staff.auth)).status).toBe(403);
      expect((await t.http.delete(`/api/v1/locations/${loc.id}`)).status).toBe(401);
      expect((await t.http.delete('/api/v1/locations/7a1f0d4e-2b1c-4c3d-8e9f-0a1b2c3d4e5f').set(admin.auth)).status).toBe(404);
      expect((await t.http.get(`/api/v1/locations/${loc.id}`)).body.active).toBe(true);
    });
  });
});
