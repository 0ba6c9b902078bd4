import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { ORDER_BY_VALUES, ORDER_QUERY, ORDER_STATUSES, orderStatusCode } from '../api';
import type { FieldChecker } from './input';
import { apiDate, calendarDate, choice, dateKey, isBlank, positiveInteger, stringList } from './values';

const titleCase = (name: string) =>
	name
		.toLowerCase()
		.split('_')
		.map((word) => word.charAt(0).toUpperCase() + word.slice(1))
		.join(' ');

export const statusOptions = ORDER_STATUSES.map((status) => ({
	name: titleCase(status.name),
	value: String(status.code),
	description: status.description,
})).sort((a, b) => a.name.localeCompare(b.name));

/** A status code as the status pickers label it: 2 → "Assigned", 7 → "Cancelled By Geek". */
export function statusLabel(code: number): string {
	return statusOptions.find((option) => option.value === String(code))?.name ?? String(code);
}

const SORT_VALUES = ['ASC', 'DESC'] as const;

const FIELDS: Record<string, INodeProperties> = {
	clientId: {
		displayName: 'Client ID',
		name: 'clientId',
		type: 'string',
		default: '',
		description: 'Only orders of this HelloTech client',
	},
	from: {
		displayName: 'From',
		name: 'from',
		type: 'dateTime',
		default: '',
		description: 'Only orders from this date on. Any date or date-time works; it is sent as MM-DD-YYYY.',
	},
	orderBy: {
		displayName: 'Order By',
		name: 'orderBy',
		type: 'options',
		options: [
			{ name: 'Appointment', value: 'appointment' },
			{ name: 'Created At', value: 'created_at' },
		],
		default: 'created_at',
		description: 'What to sort the orders by',
	},
	sort: {
		displayName: 'Sort',
		name: 'sort',
		type: 'options',
		options: [
			{ name: 'Ascending', value: 'ASC' },
			{ name: 'Descending', value: 'DESC' },
		],
		default: 'DESC',
	},
	statuses: {
		displayName: 'Statuses',
		name: 'statuses',
		type: 'multiOptions',
		options: statusOptions,
		default: [],
		description: 'Only orders in one of these statuses',
	},
	tags: {
		displayName: 'Tags',
		name: 'tags',
		type: 'string',
		default: '',
		placeholder: 'e.g. spring-promo, store-42',
		description: 'Only orders with one of these tags. Comma-separated, or an expression giving a list.',
	},
	to: {
		displayName: 'To',
		name: 'to',
		type: 'dateTime',
		default: '',
		description: 'Only orders up to this date. Any date or date-time works; it is sent as MM-DD-YYYY.',
	},
};

/** The filter fields of a Filters collection, in the alphabetical order n8n lists them. */
export function orderFilterFields(names: string[]): INodeProperties[] {
	return names.map((name) => FIELDS[name]).sort((a, b) => a.displayName.localeCompare(b.displayName));
}

/** Turns a Filters collection into the list endpoint's query, checking every value first. */
export function orderFilterQuery(filters: IDataObject, input: FieldChecker): IDataObject {
	const qs: IDataObject = {};
	const label = (name: string) => FIELDS[name].displayName;

	if (filters.tags !== undefined) {
		const tags = input.check(label('tags'), () => stringList(filters.tags));
		if (tags.length) qs[ORDER_QUERY.tags] = tags;
	}
	if (filters.statuses !== undefined) {
		const statuses = input.check(label('statuses'), () => stringList(filters.statuses)).map((status) => {
			const code = orderStatusCode({ status });
			if (code === undefined || code > 15) {
				input.fail(label('statuses'), `"${status}" is not an order status (a code 0 to 15 or a name such as ASSIGNED)`);
			}
			return String(code);
		});
		if (statuses.length) qs[ORDER_QUERY.statuses] = [...new Set(statuses)];
	}
	if (!isBlank(filters.clientId)) {
		qs[ORDER_QUERY.clientId] = input.check(label('clientId'), () => positiveInteger(filters.clientId));
	}
	const from = filters.from ? input.check(label('from'), () => calendarDate(filters.from, input.timezone)) : undefined;
	const to = filters.to ? input.check(label('to'), () => calendarDate(filters.to, input.timezone)) : undefined;
	if (from && to && dateKey(from) > dateKey(to)) {
		input.fail(label('from'), `${apiDate(from)} is after To (${apiDate(to)})`);
	}
	if (from) qs[ORDER_QUERY.from] = apiDate(from);
	if (to) qs[ORDER_QUERY.to] = apiDate(to);
	if (!isBlank(filters.orderBy)) {
		qs[ORDER_QUERY.orderBy] = input.check(label('orderBy'), () => choice(filters.orderBy, ORDER_BY_VALUES));
	}
	if (!isBlank(filters.sort)) qs[ORDER_QUERY.sort] = input.check(label('sort'), () => choice(filters.sort, SORT_VALUES));
	return qs;
}
