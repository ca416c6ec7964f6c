// The importer for each source kind the CLI accepts.
import type { ListSource } from '../../../../core/screening/model.ts';
import type { Importer } from '../importer.ts';
import { blocklist } from './blocklist.ts';
import { cslCsv } from './csl-csv.ts';
import { euFsfXml } from './eu-fsf-xml.ts';
import { ftmJsonl } from './ftm-jsonl.ts';
import { ofacEnhancedXml } from './ofac-enhanced-xml.ts';
import { ofacSdnCsv } from './ofac-sdn-csv.ts';
import { senzingJson } from './senzing-json.ts';
import { ukSanctionsCsv } from './uk-sanctions-csv.ts';
import { unXml } from './un-xml.ts';

export const IMPORTERS: Readonly<Record<ListSource, Importer>> = {
  'ofac-sdn-csv': ofacSdnCsv,
  'ofac-enhanced-xml': ofacEnhancedXml,
  'un-xml': unXml,
  'eu-fsf-xml': euFsfXml,
  'uk-sanctions-csv': ukSanctionsCsv,
  'ftm-jsonl': ftmJsonl,
  'senzing-json': senzingJson,
  'csl-csv': cslCsv,
  blocklist,
};
