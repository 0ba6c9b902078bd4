import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { ItemInput } from '../../helpers/input';
import { email, phone, positiveInteger } from '../../helpers/values';

export const clientIdField: INodeProperties = {
	displayName: 'Client ID',
	name: 'clientId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. 1024',
	description: 'The ID of the HelloTech client',
};

export const emailField: INodeProperties = {
	displayName: 'Email',
	name: 'email',
	type: 'string',
	placeholder: 'name@email.com',
	required: true,
	default: '',
	description: "The client's email address",
};

export const externalIdField: INodeProperties = {
	displayName: 'External ID',
	name: 'externalId',
	type: 'string',
	default: '',
	description:
		'Your own ID for this client. On Create, a client with this External ID that already exists is updated instead (an upsert).',
};

/** The optional client fields, for Create's Additional Fields and Update's Update Fields. */
export const clientOptionalFields: INodeProperties[] = [
	externalIdField,
	{ displayName: 'First Name', name: 'firstName', type: 'string', default: '' },
	{
		displayName: 'Full Address',
		name: 'fullAddress',
		type: 'string',
		default: '',
		placeholder: 'e.g. 719 Flower St, Los Angeles, CA 90017',
	},
	{ displayName: 'Last Name', name: 'lastName', type: 'string', default: '' },
	{ displayName: 'Phone', name: 'phone', type: 'string', default: '', placeholder: 'e.g. 3105550123' },
];

export function clientId(input: ItemInput): number {
	return input.check('Client ID', () => positiveInteger(input.param('clientId')));
}

export function clientEmail(input: ItemInput): string {
	return input.check('Email', () => email(input.requiredText('Email', input.param('email'))));
}

/** The client body: email (always required by the API) plus only the optional fields filled in. */
export function clientBody(input: ItemInput, collectionName: string): IDataObject {
	const body: IDataObject = { email: clientEmail(input) };
	const fields = input.collection(collectionName);
	const set = (key: string, label: string, value: unknown) => {
		const text = input.optionalText(label, value);
		if (text) body[key] = text;
	};
	set('external_id', 'External ID', fields.externalId);
	set('first_name', 'First Name', fields.firstName);
	set('last_name', 'Last Name', fields.lastName);
	set('full_address', 'Full Address', fields.fullAddress);
	if (input.optionalText('Phone', fields.phone)) body.phone = input.check('Phone', () => phone(fields.phone));
	return body;
}
