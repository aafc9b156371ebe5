// A cron pattern in words for the jobs page ("every 15 minutes", "every Monday at 02:30"); a pattern it does
// not know how to say is returned as written.
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

const MACROS: Readonly<Record<string, string>> = {
  '@yearly': 'every year on 1 January at 00:00',
  '@annually': 'every year on 1 January at 00:00',
  '@monthly': 'every month on day 1 at 00:00',
  '@weekly': 'every Sunday at 00:00',
  '@daily': 'every day at 00:00',
  '@midnight': 'every day at 00:00',
  '@hourly': 'every hour',
};

const NUMBER = /^\d{1,2}$/;

function plural(n: number, unit: string): string {
  return n === 1 ? `every ${unit}` : `every ${n} ${unit}s`;
}

/** `*` -> 1, `*\/n` -> n, else undefined. */
function step(field: string): number | undefined {
  if (field === '*') return 1;
  const match = /^\*\/(\d{1,2})$/.exec(field);
  return match ? Number(match[1]) : undefined;
}

function clock(hour: string, minute: string): string {
  return `${hour.padStart(2, '0')}:${minute.padStart(2, '0')}`;
}

function dayName(field: string): string | undefined {
  if (!NUMBER.test(field)) return undefined;
  return DAYS[Number(field) % 7];
}

function fiveFields(minute: string, hour: string, dom: string, month: string, dow: string): string | undefined {
  if (month !== '*') return undefined;
  const everyDay = dom === '*' && dow === '*';
  const minuteStep = step(minute);
  if (minuteStep !== undefined && hour === '*' && everyDay) return plural(minuteStep, 'minute');
  if (!NUMBER.test(minute)) return undefined;
  const hourStep = step(hour);
  if (hourStep !== undefined && everyDay) {
    const base = plural(hourStep, 'hour');
    return minute === '0' ? base : `${base} at minute ${Number(minute)}`;
  }
  if (!NUMBER.test(hour)) return undefined;
  const at = clock(hour, minute);
  if (everyDay) return `every day at ${at}`;
  if (dom === '*' && dow === '1-5') return `every weekday at ${at}`;
  if (dom === '*') {
    const day = dayName(dow);
    return day === undefined ? undefined : `every ${day} at ${at}`;
  }
  if (dow === '*' && NUMBER.test(dom)) return `every month on day ${Number(dom)} at ${at}`;
  return undefined;
}

/** `cron` in words; the pattern itself when it is not one of the common forms. */
export function cronText(cron: string): string {
  const pattern = cron.trim();
  const macro = MACROS[pattern.toLowerCase()];
  if (macro !== undefined) return macro;
  const fields = pattern.split(/\s+/);
  let said: string | undefined;
  if (fields.length === 5) said = fiveFields(fields[0]!, fields[1]!, fields[2]!, fields[3]!, fields[4]!);
  else if (fields.length === 6) {
    const [second, ...rest] = fields as [string, string, string, string, string, string];
    const secondStep = step(second);
    if (secondStep !== undefined && rest.every((field) => field === '*')) said = plural(secondStep, 'second');
    else if (second === '0') said = fiveFields(...(rest as [string, string, string, string, string]));
  }
  return said ?? pattern;
}
