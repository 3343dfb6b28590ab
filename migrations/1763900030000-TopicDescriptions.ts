import { MigrationInterface, QueryRunner } from 'typeorm';

/** Plain-language descriptions of the seeded topics, shown to residents under each topic's name. */
const DESCRIPTIONS: { slug: string; fi: string; sv: string; en: string }[] = [
  { slug: 'smartphone-tablet', fi: 'Puhelimen tai tabletin käyttö: asetukset, sovellukset, kuvat ja viestit.', sv: 'Att använda telefonen eller surfplattan: inställningar, appar, bilder och meddelanden.', en: 'Using your phone or tablet: settings, apps, photos and messages.' },
  { slug: 'computer-basics', fi: 'Tietokoneen käytön alkeet: hiiri, näppäimistö, tiedostot ja internet.', sv: 'Grunderna i att använda en dator: mus, tangentbord, filer och internet.', en: 'The basics of a computer: mouse, keyboard, files and the internet.' },
  { slug: 'email', fi: 'Sähköpostin lukeminen, kirjoittaminen ja liitteet.', sv: 'Att läsa och skriva e-post och att skicka bilagor.', en: 'Reading and writing email, and sending attachments.' },
  { slug: 'online-banking', fi: 'Verkkopankin ja pankkisovelluksen käyttö sekä tunnistautuminen palveluihin.', sv: 'Att använda nätbanken och bankappen och att identifiera sig i tjänster.', en: 'Using online banking and your bank’s app, and identifying yourself to services.' },
  { slug: 'suomi-fi', fi: 'Suomi.fi-viestit, asiointi viranomaisten kanssa ja valtuudet toisen puolesta asioimiseen.', sv: 'Suomi.fi-meddelanden, ärenden med myndigheter och fullmakter att sköta ärenden för någon annan.', en: 'Suomi.fi messages, dealing with authorities online and authorisations to act for someone else.' },
  { slug: 'omakanta', fi: 'Reseptit, laboratoriotulokset ja terveystiedot OmaKannassa.', sv: 'Recept, laboratorieresultat och hälsouppgifter i MittKanta.', en: 'Prescriptions, test results and health records in OmaKanta.' },
  { slug: 'kela', fi: 'Kelan etuuksien hakeminen ja viestit Kelan asiointipalvelussa.', sv: 'Att söka FPA:s förmåner och läsa meddelanden i FPA:s e-tjänst.', en: 'Applying for Kela benefits and reading Kela’s messages online.' },
  { slug: 'taxes', fi: 'Veroilmoitus, verokortti ja muut asiat OmaVerossa.', sv: 'Skattedeklarationen, skattekortet och annat i MinSkatt.', en: 'Your tax return, tax card and other matters in OmaVero.' },
  { slug: 'video-calls', fi: 'Videopuhelut läheisille ja etävastaanotot.', sv: 'Videosamtal med anhöriga och distansmottagningar.', en: 'Video calls with family and remote appointments.' },
  { slug: 'security-scams', fi: 'Huijausviestien tunnistaminen, salasanat ja laitteen suojaaminen.', sv: 'Att känna igen bedrägeriförsök, lösenord och att skydda enheten.', en: 'Recognising scams, passwords and keeping your device safe.' },
  { slug: 'library-e-services', fi: 'E-kirjat, äänikirjat ja kirjaston verkkopalvelut.', sv: 'E-böcker, ljudböcker och bibliotekets nättjänster.', en: 'E-books, audiobooks and the library’s online services.' },
  { slug: 'digital-photos', fi: 'Kuvien siirtäminen, järjestäminen ja jakaminen.', sv: 'Att flytta, ordna och dela bilder.', en: 'Moving, organising and sharing photos.' },
  { slug: 'public-transport-apps', fi: 'Lippujen ostaminen ja reittien etsiminen sovelluksella.', sv: 'Att köpa biljetter och söka rutter med en app.', en: 'Buying tickets and finding routes with an app.' },
  { slug: 'online-shopping', fi: 'Turvallinen ostaminen verkkokaupasta ja maksaminen verkossa.', sv: 'Att handla tryggt i nätbutiker och betala på nätet.', en: 'Shopping safely online and paying on the internet.' },
  { slug: 'social-media', fi: 'Facebook, WhatsApp ja muut yhteisöpalvelut ja niiden yksityisyysasetukset.', sv: 'Facebook, WhatsApp och andra sociala tjänster och deras integritetsinställningar.', en: 'Facebook, WhatsApp and other social services, and their privacy settings.' },
];

/** Topics get a plain-language description in fi, sv and en (empty for topics added without one). */
export class TopicDescriptions1763900030000 implements MigrationInterface {
  name = 'TopicDescriptions1763900030000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE topics
        ADD COLUMN description_fi text NOT NULL DEFAULT '' CHECK (length(description_fi) <= 500),
        ADD COLUMN description_sv text NOT NULL DEFAULT '' CHECK (length(description_sv) <= 500),
        ADD COLUMN description_en text NOT NULL DEFAULT '' CHECK (length(description_en) <= 500)
    `);
    for (const d of DESCRIPTIONS) {
      await q.query(`UPDATE topics SET description_fi = $2, description_sv = $3, description_en = $4 WHERE slug = $1`, [d.slug, d.fi, d.sv, d.en]);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE topics DROP COLUMN description_fi, DROP COLUMN description_sv, DROP COLUMN description_en`);
  }
}
