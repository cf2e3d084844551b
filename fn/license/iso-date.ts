// ISO 8601 dates as the Vendor Portal writes them (`2026-01-23T00:00:00Z`), plus a bare date and
// offsets. Date.parse alone accepts far more ("March 7", "2026-02-30" rolled over), so the form is
// checked first and the calendar date must survive the round trip.

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** The instant, or undefined when the text is not an ISO 8601 date; no zone means UTC (the portal's). */
export function parseIsoDate(text: string): Date | undefined {
  const match = ISO_DATE.exec(text.trim());
  if (!match) return undefined;
  const [, year, month, day, hour = '00', minute = '00', second = '00', fraction = '', zone = 'Z'] = match;
  const calendar = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (calendar.getUTCFullYear() !== Number(year) || calendar.getUTCMonth() !== Number(month) - 1 || calendar.getUTCDate() !== Number(day)) return undefined;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return undefined;
  const offset = zone === 'Z' ? 'Z' : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const millis = fraction === '' ? '' : fraction.slice(0, 4).padEnd(4, '0');
  return new Date(`${year}-${month}-${day}T${hour}:${minute}:${second}${millis}${offset}`);
}

/** `2026-01-23` for a midnight-UTC instant (the portal's expiry dates), else the full ISO form. */
export function formatDay(date: Date): string {
  const iso = date.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.replace('.000Z', 'Z');
}
