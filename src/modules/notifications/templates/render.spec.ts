import { renderMessage, MessageContent } from './render';

const base: MessageContent = {
  template: 'booking-confirmed',
  language: 'fi',
  params: { start: '2026-12-01T08:00:00.000Z', end: '2026-12-01T08:45:00.000Z' },
  booking: { reference: 'K7M-4QX', start: new Date('2026-12-01T08:00:00Z'), end: new Date('2026-12-01T08:45:00Z'), topicName: { fi: 'Älypuhelin', sv: 'Smarttelefon', en: 'Smartphone' }, tutorDisplayName: 'Matti V.' },
  place: {
    name: { fi: 'Kouvolan pääkirjasto', sv: 'Kouvola huvudbibliotek', en: 'Kouvola Main Library' },
    address: { street: 'Salamakuja 3', postalCode: '45100', city: 'Kouvola' },
    timeZone: 'Europe/Helsinki',
    accessibility: { fi: 'Esteetön sisäänkäynti pääovelta.' },
  },
  manageUrl: `https://digituki.example.fi/m/${'a'.repeat(43)}`,
  bookUrl: 'https://digituki.example.fi/fi',
};

describe('renderMessage', () => {
  it('writes the time as Finns read it, in the branch’s zone, with the place, the accessibility note and the link', () => {
    const m = renderMessage(base);
    expect(m.subject).toBe('Digitukiaika varattu: ti 1.12. klo 10.00');
    expect(m.text).toContain('Aika: ti 1.12. klo 10.00–10.45');
    expect(m.text).toContain('Paikka: Kouvolan pääkirjasto, Salamakuja 3, 45100 Kouvola');
    expect(m.text).toContain('Esteettömyys: Esteetön sisäänkäynti pääovelta.');
    expect(m.text).toContain(`Katso, peru tai siirrä aikaasi: ${base.manageUrl}`);
    expect(m.html).toContain(`<a href="${base.manageUrl}">`);
  });

  it('names the partner of an advisory session and calls its advisor one, in each language', () => {
    const advisory = { ...base, booking: { ...base.booking!, tutorDisplayName: 'Veera V.', partnerName: { fi: 'Verohallinto', sv: 'Skatteförvaltningen', en: 'Tax Administration' } } };
    expect(renderMessage(advisory).text).toContain('Kumppani: Verohallinto\nNeuvoja: Veera V.');
    expect(renderMessage({ ...advisory, language: 'sv' }).text).toContain('Partner: Skatteförvaltningen\nRådgivare: Veera V.');
    expect(renderMessage({ ...advisory, language: 'en' }).text).toContain('Partner: Tax Administration\nAdvisor: Veera V.');
    expect(renderMessage(base).text).toContain('Opastaja: Matti V.');
    expect(renderMessage(base).text).not.toContain('Kumppani');
  });

  it('speaks Swedish and English, and Finnish for a language it has no texts for', () => {
    expect(renderMessage({ ...base, language: 'sv' }).subject).toBe('Digistöd bokat: tis 1.12. kl. 10.00');
    expect(renderMessage({ ...base, language: 'en' }).subject).toBe('Digital support booked: Tue 1 Dec at 10:00');
    expect(renderMessage({ ...base, language: 'ru' }).subject).toBe('Digitukiaika varattu: ti 1.12. klo 10.00');
  });

  it('says why a session was cancelled; only a closure’s reason is repeated', () => {
    const closure = renderMessage({ ...base, template: 'booking-cancelled', params: { ...base.params, cause: 'closure', reason: 'Vesivahinko' } });
    expect(closure.text).toContain('Kirjasto on tuolloin suljettu.\nSyy: Vesivahinko');
    expect(closure.text).toContain('Voit varata uuden ajan: https://digituki.example.fi/fi');
    const absence = renderMessage({ ...base, template: 'booking-cancelled', params: { ...base.params, cause: 'absence', reason: 'Flunssa' } });
    expect(absence.text).toContain('Opastaja ei pääse paikalle.');
    expect(absence.text + absence.html + absence.sms).not.toContain('Flunssa');
  });

  it('keeps texts with the link within one SMS of GSM-7 letters in every language and for every cause', () => {
    const gsm7 = /^[A-Za-z0-9 .,:;!?'"()/\-+@£$¥èéùìòÇØøÅåÆæßÉÄÖÑÜäöñüà_=&%#*<>]*$/;
    const causes = ['resident', 'library', 'closure', 'absence', 'location-removed', 'hours-changed', 'claim-cancelled'];
    for (const language of ['fi', 'sv', 'en']) {
      for (const template of ['booking-confirmed', 'booking-rescheduled', 'booking-reminder', 'manage-link']) {
        const sms = renderMessage({ ...base, language, template }).sms;
        expect({ template, language, length: sms.length, gsm7: gsm7.test(sms) }).toEqual({ template, language, length: sms.length, gsm7: true });
        expect(sms.length).toBeLessThanOrEqual(160);
      }
      for (const cause of causes) {
        const sms = renderMessage({ ...base, language, template: 'booking-cancelled', params: { ...base.params, cause } }).sms;
        expect({ cause, language, gsm7: gsm7.test(sms) }).toEqual({ cause, language, gsm7: true });
        expect(sms.length).toBeLessThanOrEqual(160);
      }
    }
  });

  it('escapes what it puts in HTML', () => {
    const m = renderMessage({ ...base, booking: { ...base.booking!, tutorDisplayName: '<b>Matti</b>' } });
    expect(m.html).toContain('&#60;b&#62;Matti&#60;/b&#62;');
    expect(m.html).not.toContain('<b>Matti');
  });
});
