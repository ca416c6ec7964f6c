// Country names, short forms and demonyms as lists and screening inputs spell them, resolved to ISO 3166-1 alpha-2.
import anyAscii from 'any-ascii';
import { ISO_3166_1 } from '../policy/iso3166-data.ts';

// Names the ISO table does not carry: short forms, older names, demonyms and the lists' own spellings.
const ALIASES: Readonly<Record<string, string>> = {
  AF: 'afghan',
  AL: 'albanian',
  DZ: 'algerian',
  AO: 'angolan',
  AR: 'argentine|argentinian',
  AM: 'armenian',
  AU: 'australian',
  AT: 'austrian',
  AZ: 'azerbaijani',
  BS: 'bahamas|the bahamas|bahamian',
  BH: 'bahraini',
  BD: 'bangladeshi',
  BY: 'belarusian|belarusan|byelorussia',
  BE: 'belgian',
  BO: 'bolivia|bolivian',
  BA: 'bosnia|bosnian',
  BR: 'brazilian',
  BN: 'brunei',
  BG: 'bulgarian',
  MM: 'burma|burmese|myanmar',
  BI: 'burundian',
  CV: 'cape verde|cabo verde',
  KH: 'cambodian',
  CM: 'cameroonian',
  CA: 'canadian',
  CF: 'central african',
  TD: 'chadian',
  CL: 'chilean',
  CN: 'chinese',
  CO: 'colombian',
  CD: 'democratic republic of the congo|congo democratic republic of the|dr congo|drc|congo kinshasa|zaire',
  CG: 'republic of the congo|congo republic of the|congo brazzaville',
  CI: "cote d ivoire|cote d'ivoire|ivory coast|ivorian",
  HR: 'croatian',
  CU: 'cuban',
  CY: 'cypriot',
  CZ: 'czech republic|czechia|czech',
  DK: 'danish',
  EG: 'egyptian',
  AE: 'emirati|uae',
  ER: 'eritrean',
  ET: 'ethiopian',
  FI: 'finnish',
  FR: 'french',
  GM: 'gambia|the gambia|gambian',
  GE: 'georgian',
  DE: 'german',
  GH: 'ghanaian',
  GR: 'greek',
  GN: 'guinean',
  HT: 'haitian',
  HN: 'honduran',
  HK: 'hong kong|china hong kong special administrative region',
  HU: 'hungarian',
  IN: 'indian',
  ID: 'indonesian',
  IR: 'iran|iranian|iran islamic republic of',
  IQ: 'iraqi',
  IE: 'irish',
  IL: 'israeli',
  IT: 'italian',
  JM: 'jamaican',
  JP: 'japanese',
  JO: 'jordanian',
  KZ: 'kazakh|kazakhstani',
  KE: 'kenyan',
  KP: "north korea|korea north|democratic people's republic of korea|dprk|north korean",
  KR: 'south korea|korea south|republic of korea|south korean',
  XK: 'kosovo|kosovar',
  KW: 'kuwaiti',
  KG: 'kyrgyz|kyrgyzstani',
  LA: 'laos|lao|laotian',
  LV: 'latvian',
  LB: 'lebanese',
  LR: 'liberian',
  LY: 'libya|libyan',
  LT: 'lithuanian',
  MO: 'macau|macao',
  MK: 'macedonia|north macedonia|the former yugoslav republic of macedonia|macedonia the former yugoslav republic of',
  MY: 'malaysian',
  ML: 'malian',
  MR: 'mauritanian',
  MX: 'mexican',
  FM: 'micronesia',
  MD: 'moldova|moldovan',
  MN: 'mongolian',
  ME: 'montenegrin',
  MA: 'moroccan',
  MZ: 'mozambican',
  NP: 'nepalese|nepali',
  NL: 'dutch|holland',
  NZ: 'new zealander',
  NI: 'nicaraguan',
  NG: 'nigerian',
  NE: 'nigerien',
  NO: 'norwegian',
  OM: 'omani',
  PK: 'pakistani',
  PS: 'palestine|palestinian|state of palestine|west bank|gaza|gaza strip|palestinian territories',
  PA: 'panamanian',
  PE: 'peruvian',
  PH: 'filipino|philippine',
  PL: 'polish',
  PT: 'portuguese',
  QA: 'qatari',
  RO: 'romanian',
  RU: 'russia|russian',
  RW: 'rwandan',
  SA: 'saudi|saudi arabian',
  SN: 'senegalese',
  RS: 'serbian',
  SG: 'singaporean',
  SK: 'slovak',
  SI: 'slovenian',
  SO: 'somali',
  ZA: 'south african',
  SS: 'south sudanese',
  ES: 'spanish',
  LK: 'sri lankan',
  SD: 'sudanese',
  SE: 'swedish',
  CH: 'swiss',
  SY: 'syria|syrian',
  TW: 'taiwan|taiwanese',
  TJ: 'tajik|tajikistani',
  TZ: 'tanzania|tanzanian|united republic of tanzania',
  TH: 'thai',
  TL: 'east timor|timor leste',
  TN: 'tunisian',
  TR: 'turkey|turkish|turkiye',
  TM: 'turkmen',
  UG: 'ugandan',
  UA: 'ukrainian',
  GB: 'uk|great britain|britain|british|england|scotland|wales|united kingdom of great britain and northern ireland',
  US: 'usa|united states of america|america|american|us',
  UY: 'uruguayan',
  UZ: 'uzbek|uzbekistani',
  VE: 'venezuela|venezuelan',
  VN: 'vietnam|viet nam|vietnamese',
  VG: 'british virgin islands|virgin islands british',
  YE: 'yemeni',
  ZW: 'zimbabwean',
};

const foldCountry = (text: string): string =>
  anyAscii(text.normalize('NFKC'))
    .toLowerCase()
    .replace(/^(region|nationality|country)\s*:\s*/, '')
    .replace(/[()]/g, ' ')
    .replace(/[^a-z' ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/^the /, '')
    .trim();

const buildTable = (): Map<string, string> => {
  const table = new Map<string, string>();
  for (const [code, name] of ISO_3166_1) {
    table.set(foldCountry(name), code);
    // "Iran, Islamic Republic of" is also written "Iran"; "Congo, The Democratic Republic of the" keeps its own alias.
    const comma = name.indexOf(',');
    if (comma > 0 && !table.has(foldCountry(name.slice(0, comma)))) table.set(foldCountry(name.slice(0, comma)), code);
  }
  for (const [code, names] of Object.entries(ALIASES)) {
    for (const alias of names.split('|')) table.set(foldCountry(alias), code);
  }
  return table;
};

let table: Map<string, string> | undefined;

/** Resolves a country name, demonym or ISO alpha-2 code to an upper-case alpha-2 code, or undefined. */
export const countryCode = (text: string | undefined | null): string | undefined => {
  if (text === undefined || text === null) return undefined;
  const trimmed = text.trim();
  if (trimmed.length === 0) return undefined;
  if (/^[A-Za-z]{2}$/.test(trimmed)) {
    const code = trimmed.toUpperCase();
    return ISO_3166_1.has(code) || code === 'XK' ? code : undefined;
  }
  table ??= buildTable();
  return table.get(foldCountry(trimmed));
};

/** Resolves every name that can be resolved, without duplicates, keeping order. */
export const countryCodes = (texts: readonly (string | undefined | null)[]): string[] => {
  const codes: string[] = [];
  for (const text of texts) {
    const code = countryCode(text);
    if (code !== undefined && !codes.includes(code)) codes.push(code);
  }
  return codes;
};
