/**
 * Turns what users type, map from a spreadsheet or write as expressions into the values the
 * API wants. Each parser returns the value or throws a `ValueProblem` saying what is wrong;
 * `ItemInput` turns that into an error naming the field and the item.
 */

export class ValueProblem extends Error {}

export const problem = (text: string): never => {
	throw new ValueProblem(text);
};

/** A value as an error shows it: text in quotes, anything else as JSON; long ones cut short. */
export const show = (value: unknown) => {
	if (typeof value === 'object' && value !== null) {
		let json: string;
		try {
			json = JSON.stringify(value) ?? String(value);
		} catch {
			json = Object.prototype.toString.call(value);
		}
		return json.length > 60 ? `${json.slice(0, 57)}...` : json;
	}
	const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
	return `"${text.length > 60 ? `${text.slice(0, 57)}...` : text}"`;
};

export const isBlank = (value: unknown) =>
	value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

const isDateLike = (value: unknown) =>
	value instanceof Date ||
	(typeof value === 'object' && value !== null && typeof (value as { toISO?: unknown }).toISO === 'function');

/**
 * Text: a string (trimmed), a number or a boolean as its text, a date (n8n's `$now`, a JS Date) as
 * ISO 8601. Objects and lists are refused: sent as text they would reach HelloTech as
 * "[object Object]" or a list joined with commas. Blank gives ''.
 */
export function text(value: unknown): string {
	if (value === undefined || value === null) return '';
	if (typeof value === 'string') return value.trim();
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) problem(`must be text, got ${String(value)}`);
		return String(value);
	}
	if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
	if (isDateLike(value)) return dateText(value) || problem(`must be text, got ${show(value)}`);
	return problem(`must be text, got ${show(value)}`);
}

/** A whole number from `min` (to `max`): a number or its text. */
export function wholeNumber(value: unknown, min: number, max?: number): number {
	const digits = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
	const number = Number(digits);
	if (!/^-?\d+$/.test(digits) || !Number.isSafeInteger(number) || number < min || (max !== undefined && number > max)) {
		const range = max === undefined ? `of at least ${min}` : `from ${min} to ${max}`;
		problem(`must be a whole number ${range}, got ${show(value)}`);
	}
	return number;
}

/** A positive whole number: an ID, a Limit. Left empty, it is required. */
export function positiveInteger(value: unknown): number {
	if (isBlank(value)) problem('is required');
	const digits = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
	if (!/^\d+$/.test(digits) || Number(digits) < 1 || !Number.isSafeInteger(Number(digits))) {
		problem(`must be a positive whole number, got ${show(value)}`);
	}
	return Number(digits);
}

/** A switch: true or false, also as the text "true" / "false" an expression may give. */
export function boolean(value: unknown): boolean {
	if (typeof value === 'boolean') return value;
	if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
	return problem(`must be true or false, got ${show(value)}`);
}

/** One of `allowed` (compared without case); returned as `allowed` spells it. */
export function choice<T extends string>(value: unknown, allowed: readonly T[]): T {
	const given = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
	const found = allowed.find((option) => option.toLowerCase() === given);
	if (found === undefined) {
		const options = allowed.map((option) => `"${option}"`);
		const names = options.length > 1 ? `${options.slice(0, -1).join(', ')} or ${options[options.length - 1]}` : options[0];
		problem(`must be ${names}, got ${show(value)}`);
	}
	return found as T;
}

/**
 * A list given as an array, a JSON array, or comma/semicolon/newline separated text (as
 * spreadsheets give it). Blank entries are dropped.
 */
export function list(value: unknown): unknown[] {
	if (value === undefined || value === null) return [];
	if (Array.isArray(value)) return value.filter((entry) => !isBlank(entry));
	if (typeof value === 'number') return [value];
	if (typeof value !== 'string') return problem(`must be a list or comma-separated text, got ${show(value)}`);
	const trimmed = value.trim();
	if (trimmed.startsWith('[')) {
		try {
			const parsed = JSON.parse(trimmed) as unknown;
			if (Array.isArray(parsed)) return list(parsed);
		} catch {
			// not JSON: read it as separated text below
		}
	}
	return trimmed
		.split(/[,;\n]/)
		.map((entry) => entry.trim())
		.filter((entry) => entry !== '');
}

export function positiveIntegerList(value: unknown): number[] {
	return list(value).map((entry) => {
		try {
			return positiveInteger(entry);
		} catch {
			return problem(`${show(entry)} is not a positive whole number ID`);
		}
	});
}

/** A list of texts: each entry a text, a number or a boolean; an object or a list among them is refused. */
export function stringList(value: unknown): string[] {
	return list(value)
		.map((entry) => {
			if (typeof entry === 'object' && entry !== null && !isDateLike(entry)) {
				problem(`each entry must be text, got ${show(entry)}`);
			}
			return text(entry);
		})
		.filter((entry) => entry !== '');
}

const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:".]{2,}$/;

export function email(value: unknown): string {
	const text = typeof value === 'string' ? value.trim() : '';
	if (!EMAIL.test(text)) problem(`${show(value)} is not an email address`);
	return text;
}

export function phone(value: unknown): string {
	const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
	if (text.replace(/\D/g, '').length < 7) problem(`${show(value)} is not a phone number`);
	return text;
}

export function zip(value: unknown): string {
	const text = typeof value === 'number' ? String(value).padStart(5, '0') : typeof value === 'string' ? value.trim() : '';
	if (!/^\d{5}$/.test(text)) problem(`must be a 5-digit US ZIP code, got ${show(value)}`);
	return text;
}

// ---- dates and times ----------------------------------------------------------------------------

interface Parts {
	year: number;
	month: number;
	day: number;
	hour: number;
	minute: number;
	second: number;
	ms: number;
}

/** Offset of `zone` from UTC at instant `utcMs`, in ms (positive east of Greenwich). */
function zoneOffsetMs(utcMs: number, zone: string): number {
	const format = new Intl.DateTimeFormat('en-US', {
		timeZone: zone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
	});
	const parts: Record<string, number> = {};
	for (const part of format.formatToParts(new Date(utcMs))) {
		if (part.type !== 'literal') parts[part.type] = Number(part.value);
	}
	const asUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
	return asUtc - Math.floor(utcMs / 1000) * 1000;
}

/** The instant at which the wall clock in `zone` shows `parts`. */
function wallClockToUtc(parts: Parts, zone: string): number {
	const naive = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second, parts.ms);
	let guess = naive - zoneOffsetMs(naive, zone);
	guess = naive - zoneOffsetMs(guess, zone); // settle across a DST change
	return guess;
}

function validDate(year: number, month: number, day: number): boolean {
	const date = new Date(Date.UTC(year, month - 1, day));
	return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Luxon DateTime (n8n's `$now`), JS Date, or text: the text form to parse. */
function dateText(value: unknown): string {
	if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
	if (value && typeof value === 'object' && typeof (value as { toISO?: unknown }).toISO === 'function') {
		return String((value as { toISO: () => string }).toISO() ?? '');
	}
	if (typeof value === 'string') return value.trim();
	return '';
}

const ISO_DATE_TIME =
	/^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * An instant from an ISO 8601 date-time. With a zone (`Z`, `+02:00`) it is that instant; without
 * one (what n8n's date picker gives) it is read as wall-clock time in the workflow's time zone.
 */
export function instant(value: unknown, zone: string): number {
	const text = dateText(value);
	const match = ISO_DATE_TIME.exec(text);
	if (!match || match[4] === undefined) problem(`${show(text || value)} is not an ISO 8601 date-time`);
	const [, y, mo, d, h, mi, s, frac, offset] = match as RegExpExecArray;
	const parts: Parts = {
		year: Number(y),
		month: Number(mo),
		day: Number(d),
		hour: Number(h),
		minute: Number(mi),
		second: Number(s ?? 0),
		ms: Number((frac ?? '0').padEnd(3, '0').slice(0, 3)),
	};
	if (!validDate(parts.year, parts.month, parts.day) || parts.hour > 23 || parts.minute > 59 || parts.second > 59) {
		problem(`${show(text)} is not a real date-time`);
	}
	if (!offset) return wallClockToUtc(parts, zone);
	const naive = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second, parts.ms);
	if (offset.toUpperCase() === 'Z') return naive;
	const sign = offset.startsWith('-') ? -1 : 1;
	const digits = offset.slice(1).replace(':', '');
	return naive - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
}

/** A calendar date, as `{ year, month, day }`, from any date n8n's picker or an expression gives. */
export function calendarDate(value: unknown, zone: string): { year: number; month: number; day: number } {
	const text = dateText(value);
	let match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
	if (match) return checked(Number(match[1]), Number(match[2]), Number(match[3]), text);
	match = /^(\d{1,2})[-/](\d{1,2})[-/](\d{4})$/.exec(text); // MM-DD-YYYY, MM/DD/YYYY
	if (match) return checked(Number(match[3]), Number(match[1]), Number(match[2]), text);
	match = ISO_DATE_TIME.exec(text);
	if (match && !match[8]) return checked(Number(match[1]), Number(match[2]), Number(match[3]), text);
	if (match) {
		// A date-time with a zone: the date it is in the workflow's time zone.
		const at = instant(text, zone);
		const shifted = new Date(at + zoneOffsetMs(at, zone));
		return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
	}
	return problem(`${show(text || value)} is not a date (use YYYY-MM-DD, MM-DD-YYYY or an ISO date-time)`);
}

function checked(year: number, month: number, day: number, text: string) {
	if (!validDate(year, month, day)) problem(`${show(text)} is not a real date`);
	return { year, month, day };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The API's date form for the order filters: MM-DD-YYYY. */
export function apiDate(date: { year: number; month: number; day: number }): string {
	return `${pad(date.month)}-${pad(date.day)}-${pad(date.year, 4)}`;
}

export const dateKey = (date: { year: number; month: number; day: number }) =>
	date.year * 10000 + date.month * 100 + date.day;
