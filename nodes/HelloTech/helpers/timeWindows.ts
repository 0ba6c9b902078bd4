/**
 * Time windows (one-hour blocks in which a technician may come) from whatever a row or an
 * expression gives: nothing, one window or a list of them, as objects, JSON text, or text such as
 * `2026-12-01 09:00-10:00; 2026-12-01 14:00-15:00`. Like the parsers of `values.ts`, it throws a
 * `ValueProblem` saying which window is wrong and why; the caller names the field and the item.
 */
import { calendarDate, instant, isBlank, problem, show } from './values';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** A window as the API takes it: ISO 8601 instants in UTC. */
export interface TimeWindow {
	start_time: string;
	end_time: string;
}

/** Keys of a window object, with case, spaces and `-`/`_` ignored. */
const START_KEYS = ['start', 'starttime', 'startat', 'from'];
const END_KEYS = ['end', 'endtime', 'endat', 'to'];
const keyOf = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * Every window in `value`, checked: each has a start and an end exactly one hour later. A time
 * without a zone is read in `zone` (the workflow's time zone). Blank gives no windows.
 */
export function timeWindows(value: unknown, zone: string): TimeWindow[] {
	return entries(value).map((entry, index) => {
		try {
			return window(entry, zone);
		} catch (error) {
			return problem(`window ${index + 1}: ${(error as Error).message}`);
		}
	});
}

/** The windows `value` holds, not yet read: objects or texts of one window each. */
function entries(value: unknown): unknown[] {
	if (isBlank(value)) return [];
	if (Array.isArray(value)) return value.filter((entry) => !isBlank(entry));
	if (typeof value === 'object') return [value];
	if (typeof value !== 'string') return problem(`must be a list of time windows or text, got ${show(value)}`);
	const text = value.trim();
	if (text.startsWith('[') || text.startsWith('{')) {
		let parsed: unknown;
		try {
			parsed = JSON.parse(text);
		} catch {
			return problem(`${show(text)} is not valid JSON`);
		}
		return entries(parsed);
	}
	return text
		.split(/[;\n,]/)
		.map((entry) => entry.trim())
		.filter((entry) => entry !== '');
}

function window(entry: unknown, zone: string): TimeWindow {
	const [start, end] = typeof entry === 'string' ? fromText(entry, zone) : fromObject(entry, zone);
	if (end - start !== HOUR_MS) {
		problem(`the end must be exactly one hour after the start (${iso(start)}), got ${iso(end)}`);
	}
	return { start_time: iso(start), end_time: iso(end) };
}

const iso = (ms: number) => new Date(ms).toISOString();

function fromObject(entry: unknown, zone: string): [number, number] {
	if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
		return problem(`${show(entry)} is not a time window`);
	}
	const pick = (keys: string[]) =>
		Object.entries(entry as Record<string, unknown>).find(([key]) => keys.includes(keyOf(key)))?.[1];
	const start = pick(START_KEYS);
	const end = pick(END_KEYS);
	if (isBlank(start)) problem(`has no start (give start and end, or start_time and end_time), got ${show(entry)}`);
	if (isBlank(end)) problem(`has no end (give start and end, or start_time and end_time), got ${show(entry)}`);
	return [read('start', start, zone), read('end', end, zone)];
}

function read(which: string, value: unknown, zone: string): number {
	try {
		return instant(value, zone);
	} catch (error) {
		return problem(`${which}: ${(error as Error).message}`);
	}
}

/** `2026-12-01T09:00:00Z/2026-12-01T10:00:00Z`, also with ` - ` or ` to ` between the two. */
const RANGE = /^(.+?)\s*(?:\/|\s-\s|\s–\s|\sto\s)\s*(.+)$/i;

/** `2026-12-01 09:00-10:00`, `12/01/2026 9:00 AM - 10:00 AM`: a date and two times of that day. */
const TIME = String.raw`(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?\s*([ap]\.?m\.?)?`;
const DAY_AND_TIMES = new RegExp(String.raw`^(\S+?)\s+${TIME}\s*(?:-|–|to)\s*${TIME}$`, 'i');

function fromText(text: string, zone: string): [number, number] {
	const range = RANGE.exec(text);
	if (range) {
		try {
			return [instant(range[1], zone), instant(range[2], zone)];
		} catch {
			// not two date-times: read it as a date and two times below
		}
	}
	const match = DAY_AND_TIMES.exec(text);
	if (match) {
		let date: { year: number; month: number; day: number } | undefined;
		try {
			date = calendarDate(match[1], zone);
		} catch {
			date = undefined;
		}
		const from = date && clock(match.slice(2, 6));
		const to = date && clock(match.slice(6, 10));
		if (date && from !== undefined && to !== undefined) {
			const day = `${date.year}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
			const start = instant(`${day}T${from}`, zone);
			let end = instant(`${day}T${to}`, zone);
			if (end <= start) end = instant(`${iso(Date.parse(`${day}T00:00:00Z`) + DAY_MS).slice(0, 10)}T${to}`, zone); // 23:00-00:00
			return [start, end];
		}
	}
	return problem(
		`${show(text)} is not a time window (write it as 2026-12-01 09:00-10:00, or as two date-times joined by "/")`,
	);
}

/** `HH:MM:SS` from the parts of TIME, or undefined when they are no time of day. */
function clock([hours, minutes, seconds, meridiem]: string[]): string | undefined {
	let hour = Number(hours);
	if (minutes === undefined && meridiem === undefined) return undefined; // a bare number is no time
	if (meridiem) {
		if (hour < 1 || hour > 12) return undefined;
		hour = (hour % 12) + (meridiem.toLowerCase().startsWith('p') ? 12 : 0);
	}
	const minute = Number(minutes ?? 0);
	const second = Number(seconds ?? 0);
	if (hour > 23 || minute > 59 || second > 59) return undefined;
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${pad(hour)}:${pad(minute)}:${pad(second)}`;
}
