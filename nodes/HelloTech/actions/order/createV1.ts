import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ItemInput } from '../../helpers/input';
import { skuIdsField } from '../../helpers/skuFields';
import { instant, isBlank, phone, positiveIntegerList, stringList } from '../../helpers/values';
import { onlyV1 } from '../../helpers/versions';
import { clientEmail, clientId, clientIdField, emailField } from '../client/fields';

/**
 * Order → Create in version 1: a field per order field, Existing or New Client chosen up front,
 * a fixed list of Time Windows. Workflows saved with version 1 keep reading their parameters
 * exactly so.
 */

const newClient = { show: { clientType: ['new'] } };
const HOUR_MS = 3_600_000;

export const createFieldsV1: INodeProperties[] = updateDisplayOptions(onlyV1, [
	{
		displayName: 'Client',
		name: 'clientType',
		type: 'options',
		options: [
			{
				name: 'Existing Client',
				value: 'existing',
				description: 'Book for a client HelloTech already knows, by client ID',
			},
			{
				name: 'New Client',
				value: 'new',
				description: 'HelloTech creates the client from a first name, last name and email',
			},
		],
		default: 'new',
	},
	{
		...clientIdField,
		description: 'The ID of an existing HelloTech client',
		displayOptions: { show: { clientType: ['existing'] } },
	},
	{
		displayName: 'First Name',
		name: 'firstName',
		type: 'string',
		required: true,
		default: '',
		displayOptions: newClient,
	},
	{
		displayName: 'Last Name',
		name: 'lastName',
		type: 'string',
		required: true,
		default: '',
		displayOptions: newClient,
	},
	{ ...emailField, displayOptions: newClient },
	{
		displayName: 'Address',
		name: 'address',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 719 Flower St, Los Angeles, CA 90017',
		description: "The customer's full address",
	},
	{
		displayName: 'Phone',
		name: 'phone',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 3105550123',
		description: "The customer's phone number",
	},
	skuIdsField('The services the customer bought. Comma-separated IDs or a list also work.'),
	{
		displayName: 'Purchase Order ID',
		name: 'purchaseOrderId',
		type: 'string',
		default: '',
		placeholder: 'e.g. PO-1234',
		description:
			'Your own reference for this order. Recommended: if HelloTech fails to confirm a create, the error names this ID so you can check whether the order exists before sending it again.',
	},
	{
		displayName: 'Time Windows',
		name: 'timeWindows',
		type: 'fixedCollection',
		placeholder: 'Add Time Window',
		typeOptions: { multipleValues: true },
		default: {},
		description:
			'One-hour blocks in which a technician may come on site. A time without a zone is read in the workflow time zone.',
		options: [
			{
				displayName: 'Time Window',
				name: 'window',
				values: [
					{
						displayName: 'Start',
						name: 'start',
						type: 'dateTime',
						default: '',
					},
					{
						displayName: 'End',
						name: 'end',
						type: 'dateTime',
						default: '',
						description: 'Exactly one hour after Start',
					},
				],
			},
		],
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Address Details',
				name: 'addressDetails',
				type: 'string',
				default: '',
				placeholder: 'e.g. Apt 4B, yellow house',
			},
			{
				displayName: 'Business Name',
				name: 'businessName',
				type: 'string',
				default: '',
				description: 'The business the order is for, if any',
			},
			{
				displayName: 'Devices',
				name: 'devices',
				type: 'string',
				default: '',
				placeholder: 'e.g. iPhone 13, Samsung TV',
				description:
					'The devices the customer has, comma-separated or a list. More than one raises the order price and the tech payout.',
			},
			{
				displayName: 'Notes',
				name: 'notes',
				type: 'string',
				typeOptions: { rows: 3 },
				default: '',
				description: 'Anything that helps the technician',
			},
		],
	},
]);

/** The Create order body from one item's parameters, every field checked first. */
export function orderBodyV1(input: ItemInput): IDataObject {
	const body: IDataObject = {};
	if (input.param<string>('clientType') === 'existing') {
		body.client_id = clientId(input);
	} else {
		body.first_name = input.requiredText('First Name', input.param('firstName'));
		body.last_name = input.requiredText('Last Name', input.param('lastName'));
		body.email = clientEmail(input);
	}
	body.address = input.requiredText('Address', input.param('address'));
	body.phone = input.check('Phone', () => phone(input.requiredText('Phone', input.param('phone'))));
	const skuIds = input.check('SKU Names or IDs', () => positiveIntegerList(input.param('skuIds')));
	if (skuIds.length === 0) input.fail('SKU Names or IDs', 'at least one SKU ID is required');
	body.sku_id = [...new Set(skuIds)];

	const windows = timeWindows(input);
	if (windows.length) body.time_windows = windows;
	const purchaseOrderId = input.optionalText('Purchase Order ID', input.param('purchaseOrderId', ''));
	if (purchaseOrderId) body.purchase_order_id = purchaseOrderId;

	const extra = input.collection('additionalFields');
	const addressDetails = input.optionalText('Address Details', extra.addressDetails);
	if (addressDetails) body.address_details = addressDetails;
	const businessName = input.optionalText('Business Name', extra.businessName);
	if (businessName) body.business_name = businessName;
	const devices = input.check('Devices', () => stringList(extra.devices));
	if (devices.length) body.devices = devices;
	const notes = input.optionalText('Notes', extra.notes);
	if (notes) body.notes = notes;
	return body;
}

function timeWindows(input: ItemInput): IDataObject[] {
	const given = input.param<{ window?: IDataObject[] }>('timeWindows', {});
	const windows = Array.isArray(given?.window) ? given.window : [];
	return windows.map((window, index) => {
		const label = (end: string) => `Time Windows → window ${index + 1} → ${end}`;
		if (isBlank(window.start)) input.fail(label('Start'), 'is required');
		if (isBlank(window.end)) input.fail(label('End'), 'is required');
		const start = input.check(label('Start'), () => instant(window.start, input.timezone));
		const end = input.check(label('End'), () => instant(window.end, input.timezone));
		if (end - start !== HOUR_MS) {
			input.fail(
				label('End'),
				`must be exactly one hour after Start (${new Date(start).toISOString()}), got ${new Date(end).toISOString()}`,
			);
		}
		return { start_time: new Date(start).toISOString(), end_time: new Date(end).toISOString() };
	});
}
