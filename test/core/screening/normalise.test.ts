// Normalisation: NFKC, case, diacritics, punctuation, transliteration, name order, honorifics, particles, legal forms.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { looksLikeCompany, normaliseName, normalisedText } from '../../../core/screening/normalise.ts';

const text = (raw: string, kind: 'person' | 'company' | 'unknown' = 'person'): string =>
  normalisedText(normaliseName(raw, kind));
const roles = (raw: string, kind: 'person' | 'company' | 'unknown' = 'person'): string[] =>
  normaliseName(raw, kind).tokens.map((token) => `${token.text}:${token.role}`);

describe('normaliseName', () => {
  it('applies NFKC and folds case, so full-width and ligature forms read as plain letters', () => {
    expect(text('ＪＯＨＮ　ＳＭＩＴＨ')).toBe('john smith');
    expect(text('ﬁnn O’Brien')).toBe('finn obrien');
  });

  it('strips diacritics through transliteration', () => {
    expect(text('François Hollande')).toBe('francois hollande');
    expect(text('Margarita Simonyán')).toBe('margarita simonyan');
    expect(text('Łukasz Żółć')).toBe('lukasz zolc');
    expect(text('Straße', 'company')).toBe('strasse');
  });

  it('turns punctuation and hyphens into token breaks, but joins apostrophes', () => {
    expect(text('AL-SA’DUN, Muhammad Zimam abd-al-Razzaq')).toBe('muhammad zimam abd al razzaq al sadun');
    expect(text("KY'ONG-SU RA")).toBe('kyong su ra');
  });

  it('reorders "SURNAME, Given" for people and remembers that it did', () => {
    const name = normaliseName('MALKEVICH, Alexander Aleksandrovich', 'person');
    expect(normalisedText(name)).toBe('alexander aleksandrovich malkevich');
    expect(name.reordered).toBe(true);
  });

  it('does not reorder a company name whose comma precedes its legal form', () => {
    expect(text('ANGLO-CARIBBEAN CO., LTD.', 'unknown')).toBe('anglo caribbean co ltd');
    expect(text('Bowne Global Solutions, Inc.', 'company')).toBe('bowne global solutions inc');
  });

  it('keeps honorifics as low-weight title tokens, only in front of the name', () => {
    expect(roles('Sheikh Isa Bin Tarif')).toEqual(['sheikh:title', 'isa:name', 'bin:particle', 'tarif:name']);
    expect(roles('Dr. Ayman AL ZAWAHIRI')).toEqual(['dr:title', 'ayman:name', 'al:particle', 'zawahiri:name']);
    // HAJI inside a name is part of it, not a title.
    expect(roles('MOHAMMADHASNI HAJI SSAD')[1]).toBe('haji:name');
    expect(roles('Martin Luther King Jr.')[3]).toBe('jr:title');
  });

  it('spells particles one way, so "Ben"/"Bin"/"Ibn" and "El"/"Al" line up', () => {
    expect(text('Isa Ben Tarif Al Ben Ali')).toBe('isa bin tarif al bin ali');
    expect(text('Abdel Fattah el-Sisi')).toBe('abdel fattah al sisi');
    expect(text('Usama bin Muhammad ibn Awad')).toBe('usama bin muhammad bin awad');
  });

  it('keeps words that are names of Object properties as words (OFAC 2019: GRUPO CONSTRUCTOR SEGUNDO MILENIO)', () => {
    expect(text('GRUPO CONSTRUCTOR SEGUNDO MILENIO, S.A. DE C.V.', 'company')).toBe(
      'grupo constructor segundo milenio sa cv',
    );
    for (const word of ['constructor', 'toString', 'hasOwnProperty', '__proto__', 'valueOf'])
      for (const token of normaliseName(`Acme ${word} Holdings`, 'company').tokens)
        expect(typeof token.text).toBe('string');
  });

  it('canonicalises company legal forms as tokens of their own, keeping the name', () => {
    expect(roles('Siemens Aktiengesellschaft', 'company')).toEqual(['siemens:name', 'ag:legal_form']);
    expect(text('TACTICAL MISSILES CORPORATION JOINT STOCK COMPANY', 'company')).toBe('tactical missiles corp jsc');
    expect(text('HSBC Holdings p.l.c.', 'company')).toBe('hsbc holdings plc');
    expect(text('Общество с ограниченной ответственностью "ЦСТ"', 'company')).toBe('llc tsst');
    expect(text('FABERLIC EUROPE Sp. z o.o.', 'company')).toBe('faberlic europe spzoo');
    // A name that is only a legal-form word stays matchable.
    expect(text('Company', 'company')).toBe('co');
  });

  it('treats ambiguous legal forms ("SA", "AG", "CO") as words unless the party is a company', () => {
    expect(roles('Ali Sa', 'person')).toEqual(['ali:name', 'sa:name']);
    expect(roles('Banco Santander S.A.', 'company')[2]).toBe('sa:legal_form');
    expect(looksLikeCompany('Acme Holdings Limited')).toBe(true);
    expect(looksLikeCompany('John Limited-Smith Co')).toBe(true);
    expect(looksLikeCompany('John Smith')).toBe(false);
  });

  it('keeps dotted initials of a person apart and joins a company acronym', () => {
    expect(text('J.R. Ewing')).toBe('j r ewing');
    expect(text('L.X.C Aviation', 'company')).toBe('lxc aviation');
  });

  it('never produces empty tokens or upper case, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.constantFrom('person', 'company', 'unknown'), (raw, kind) => {
        for (const token of normaliseName(raw, kind as 'person').tokens) {
          expect(token.text.length).toBeGreaterThan(0);
          expect(token.text).toMatch(/^[a-z0-9]+$/);
        }
      }),
    );
  });

  it('is idempotent on its own output', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (raw) => {
        const once = text(raw, 'unknown');
        expect(text(once, 'unknown')).toBe(once);
      }),
    );
  });
});

describe('transliteration of original-script names', () => {
  it('romanises Arabic names from the UN list', () => {
    const name = normaliseName('صدام حسين التكريتي', 'person');
    expect(name.transliterated).toBe(true);
    expect(normalisedText(name)).toBe('sdm hsyn ltkryty');
  });

  it('romanises Cyrillic names from the UN list', () => {
    expect(text('Умаров Доку Хаматович')).toBe('umarov doku khamatovich');
    expect(text('Ислам Сеит-Умарович Атабиев')).toBe('islam seit umarovich atabiev');
  });

  it('romanises Chinese names (OFAC Enhanced XML carries them) to pinyin', () => {
    expect(text('旷视科技有限公司', 'company')).toBe('kuangshikejiyouxiangongsi');
    expect(text('习近平')).toBe('xijinping');
  });
});
