import type { Language } from '../../web/i18n/messages';

/**
 * The texts of every message in fi, sv and en. `{when}`, `{place}`… are filled by render.ts;
 * a line whose placeholder has no value is left out. SMS texts are kept short (GSM-7 letters:
 * ä, ö and å are in its basic set) so that one with the manage link fits 160 characters.
 */
export type Cause = 'resident' | 'library' | 'closure' | 'absence' | 'location-removed' | 'hours-changed' | 'claim-cancelled';

export interface Catalogue {
  greeting: string;
  labels: { when: string; previous: string; place: string; topic: string; tutor: string; advisor: string; partner: string; reference: string; accessibility: string; reason: string };
  manage: string;
  bookAgain: string;
  signature: string;
  templates: Record<string, { subject: string; lead: string; sms: string }>;
  causes: Record<Cause, string>;
}

const fi: Catalogue = {
  greeting: 'Hei!',
  labels: { when: 'Aika', previous: 'Aiempi aika', place: 'Paikka', topic: 'Aihe', tutor: 'Opastaja', advisor: 'Neuvoja', partner: 'Kumppani', reference: 'Varaustunnus', accessibility: 'Esteettömyys', reason: 'Syy' },
  manage: 'Katso, peru tai siirrä aikaasi: {link}',
  bookAgain: 'Voit varata uuden ajan: {link}',
  signature: 'Ystävällisin terveisin\n{place}',
  templates: {
    'booking-confirmed': { subject: 'Digitukiaika varattu: {when}', lead: 'Aikasi kirjaston digitukeen on varattu.', sms: 'Digituki varattu {when}, {place}. Tunnus {reference}. {link}' },
    'booking-rescheduled': { subject: 'Digitukiaikasi on siirretty: {when}', lead: 'Aikasi kirjaston digitukeen on siirretty.', sms: 'Digituki siirretty: {when}, {place}. Tunnus {reference}. {link}' },
    'booking-cancelled': { subject: 'Digitukiaikasi on peruttu', lead: 'Aikasi kirjaston digitukeen on peruttu.', sms: 'Digituki {when} on peruttu. {cause} Tunnus {reference}.' },
    'booking-reminder': { subject: 'Muistutus: digitukiaika {when}', lead: 'Muistutus varaamastasi digitukiajasta.', sms: 'Muistutus: digituki {when}, {place}. {link}' },
    'manage-link': { subject: 'Uusi linkki digitukivaraukseesi', lead: 'Tässä on uusi linkki varaukseesi. Vanha linkki ei enää toimi.', sms: 'Uusi linkki digitukivaraukseesi {when}: {link}' },
    'session-booked': { subject: 'Uusi varaus {when}', lead: 'Sinulle on varattu opastusaika.', sms: '' },
    'session-cancelled': { subject: 'Varaus peruttu {when}', lead: 'Opastusaikasi on peruttu.', sms: '' },
    'session-moved': { subject: 'Varaus siirretty {when}', lead: 'Opastusaikasi on siirretty.', sms: '' },
    'tutor-absent': { subject: 'Opastaja poissa: varaus {reference}', lead: 'Opastajan poissaolo osuu tähän varaukseen. Varaus on yhä voimassa: siirrä tai peru se.', sms: '' },
    'claim-approved': { subject: 'Neuvonta-aika hyväksytty {when}', lead: 'Kirjasto on hyväksynyt neuvonta-aikanne.', sms: '' },
    'claim-rejected': { subject: 'Neuvonta-aikaa ei hyväksytty {when}', lead: 'Kirjasto ei hyväksynyt neuvonta-aikaanne.', sms: '' },
    'claim-cancelled': { subject: 'Neuvonta-aika peruttu {when}', lead: 'Kirjasto on perunut neuvonta-aikanne. Siihen varatut asiakkaat saavat tiedon.', sms: '' },
  },
  causes: {
    resident: 'Peruit ajan itse.',
    library: 'Kirjasto perui ajan.',
    closure: 'Kirjasto on tuolloin suljettu.',
    absence: 'Opastaja ei pääse paikalle.',
    'location-removed': 'Toimipiste ei enää tarjoa digitukea.',
    'hours-changed': 'Kirjaston aukioloajat muuttuivat.',
    'claim-cancelled': 'Kumppanin neuvonta-aika peruttiin.',
  },
};

const sv: Catalogue = {
  greeting: 'Hej!',
  labels: { when: 'Tid', previous: 'Tidigare tid', place: 'Plats', topic: 'Ämne', tutor: 'Handledare', advisor: 'Rådgivare', partner: 'Partner', reference: 'Bokningskod', accessibility: 'Tillgänglighet', reason: 'Orsak' },
  manage: 'Se, avboka eller flytta din tid: {link}',
  bookAgain: 'Du kan boka en ny tid: {link}',
  signature: 'Med vänliga hälsningar\n{place}',
  templates: {
    'booking-confirmed': { subject: 'Digistöd bokat: {when}', lead: 'Din tid för digistöd på biblioteket är bokad.', sms: 'Digistöd bokat {when}, {place}. Kod {reference}. {link}' },
    'booking-rescheduled': { subject: 'Din tid för digistöd har flyttats: {when}', lead: 'Din tid för digistöd på biblioteket har flyttats.', sms: 'Digistöd flyttat: {when}, {place}. Kod {reference}. {link}' },
    'booking-cancelled': { subject: 'Din tid för digistöd är inställd', lead: 'Din tid för digistöd på biblioteket är inställd.', sms: 'Digistöd {when} är inställt. {cause} Kod {reference}.' },
    'booking-reminder': { subject: 'Påminnelse: digistöd {when}', lead: 'En påminnelse om din tid för digistöd.', sms: 'Påminnelse: digistöd {when}, {place}. {link}' },
    'manage-link': { subject: 'Ny länk till din bokning', lead: 'Här är en ny länk till din bokning. Den gamla länken fungerar inte längre.', sms: 'Ny länk till din bokning {when}: {link}' },
    'session-booked': { subject: 'Ny bokning {when}', lead: 'En handledningstid har bokats för dig.', sms: '' },
    'session-cancelled': { subject: 'Bokning inställd {when}', lead: 'Din handledningstid är inställd.', sms: '' },
    'session-moved': { subject: 'Bokning flyttad {when}', lead: 'Din handledningstid har flyttats.', sms: '' },
    'tutor-absent': { subject: 'Handledaren frånvarande: bokning {reference}', lead: 'Handledarens frånvaro träffar den här bokningen. Bokningen gäller ännu: flytta eller avboka den.', sms: '' },
    'claim-approved': { subject: 'Rådgivningstiden godkänd {when}', lead: 'Biblioteket har godkänt er rådgivningstid.', sms: '' },
    'claim-rejected': { subject: 'Rådgivningstiden godkändes inte {when}', lead: 'Biblioteket godkände inte er rådgivningstid.', sms: '' },
    'claim-cancelled': { subject: 'Rådgivningstiden inställd {when}', lead: 'Biblioteket har ställt in er rådgivningstid. De som bokat tider får besked.', sms: '' },
  },
  causes: {
    resident: 'Du avbokade själv.',
    library: 'Biblioteket avbokade tiden.',
    closure: 'Biblioteket är stängt då.',
    absence: 'Handledaren kan inte komma.',
    'location-removed': 'Biblioteket erbjuder inte längre digistöd.',
    'hours-changed': 'Bibliotekets öppettider har ändrats.',
    'claim-cancelled': 'Partnerns rådgivningstid ställdes in.',
  },
};

const en: Catalogue = {
  greeting: 'Hello,',
  labels: { when: 'Time', previous: 'Previous time', place: 'Place', topic: 'Topic', tutor: 'Tutor', advisor: 'Advisor', partner: 'Partner', reference: 'Booking reference', accessibility: 'Accessibility', reason: 'Reason' },
  manage: 'View, cancel or move your time: {link}',
  bookAgain: 'You can book a new time: {link}',
  signature: 'Kind regards\n{place}',
  templates: {
    'booking-confirmed': { subject: 'Digital support booked: {when}', lead: 'Your digital support time at the library is booked.', sms: 'Digital support booked {when}, {place}. Ref {reference}. {link}' },
    'booking-rescheduled': { subject: 'Your digital support time has moved: {when}', lead: 'Your digital support time at the library has moved.', sms: 'Digital support moved: {when}, {place}. Ref {reference}. {link}' },
    'booking-cancelled': { subject: 'Your digital support time is cancelled', lead: 'Your digital support time at the library is cancelled.', sms: 'Digital support {when} is cancelled. {cause} Ref {reference}.' },
    'booking-reminder': { subject: 'Reminder: digital support {when}', lead: 'A reminder of your digital support time.', sms: 'Reminder: digital support {when}, {place}. {link}' },
    'manage-link': { subject: 'A new link to your booking', lead: 'Here is a new link to your booking. The old link no longer works.', sms: 'New link to your booking {when}: {link}' },
    'session-booked': { subject: 'New booking {when}', lead: 'A session has been booked for you.', sms: '' },
    'session-cancelled': { subject: 'Booking cancelled {when}', lead: 'Your session is cancelled.', sms: '' },
    'session-moved': { subject: 'Booking moved {when}', lead: 'Your session has moved.', sms: '' },
    'tutor-absent': { subject: 'Tutor absent: booking {reference}', lead: 'A tutor’s absence falls on this booking. It is still active: move or cancel it.', sms: '' },
    'claim-approved': { subject: 'Advisory hours approved {when}', lead: 'The library has approved your advisory hours.', sms: '' },
    'claim-rejected': { subject: 'Advisory hours not approved {when}', lead: 'The library did not approve your advisory hours.', sms: '' },
    'claim-cancelled': { subject: 'Advisory hours cancelled {when}', lead: 'The library has cancelled your advisory hours. Residents booked in them are told.', sms: '' },
  },
  causes: {
    resident: 'You cancelled it.',
    library: 'The library cancelled it.',
    closure: 'The library is closed then.',
    absence: 'The tutor cannot come.',
    'location-removed': 'This library no longer offers digital support.',
    'hours-changed': "The library's opening hours changed.",
    'claim-cancelled': "The partner's advisory hours were cancelled.",
  },
};

export const TEXTS: Record<Language, Catalogue> = { fi, sv, en };
