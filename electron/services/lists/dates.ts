// Dates of birth as the lists write them ("14 Jun 1975", "circa 1960", "1962 to 1963") → the list model's dates.
import type { ListDate } from '../../../core/screening/model.ts';

const MONTHS: Readonly<Record<string, string>> = {
  jan: '01',
  feb: '02',
  mar: '03',
  apr: '04',
  may: '05',
  jun: '06',
  jul: '07',
  aug: '08',
  sep: '09',
  oct: '10',
  nov: '11',
  dec: '12',
};

/** One date in OFAC/CSL prose form or ISO form, to YYYY, YYYY-MM or YYYY-MM-DD. */
export const parseProseDate = (text: string): string | undefined => {
  const value = text.trim().replace(/\.$/, '');
  let match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(value);
  if (match !== null) return value;
  match = /^(\d{1,2}) ([A-Za-z]{3})[a-z]* (\d{4})$/.exec(value);
  if (match !== null) {
    const month = MONTHS[match[2]!.toLowerCase()];
    return month === undefined ? undefined : `${match[3]}-${month}-${match[1]!.padStart(2, '0')}`;
  }
  match = /^([A-Za-z]{3})[a-z]* (\d{4})$/.exec(value);
  if (match !== null) {
    const month = MONTHS[match[1]!.toLowerCase()];
    return month === undefined ? undefined : `${match[2]}-${month}`;
  }
  return undefined;
};

/** A date of birth clause: "14 Jun 1975", "circa 1960", "1962 to 1963", "circa 1962-1963". */
export const parseDateOfBirth = (text: string): ListDate | undefined => {
  let value = text.trim().replace(/\.$/, '');
  let approximate = false;
  const circa = /^(?:circa|approximately|approx\.?|c\.)\s+/i.exec(value);
  if (circa !== null) {
    approximate = true;
    value = value.slice(circa[0].length);
  }
  const range = /^(.+?)\s*(?: to |-(?=\d{4}$))\s*(.+)$/.exec(value);
  if (range !== null && !/^\d{4}-\d{2}/.test(value)) {
    const from = parseProseDate(range[1]!);
    const to = parseProseDate(range[2]!);
    if (from !== undefined && to !== undefined) return { from, to, approximate };
  }
  const from = parseProseDate(value);
  return from === undefined ? undefined : { from, approximate };
};

/** Whether year, month (1-12) and day name a day of the Gregorian calendar: 1961-02-30 does not. */
export const isCalendarDay = (year: number, month: number, day: number): boolean => {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
};
