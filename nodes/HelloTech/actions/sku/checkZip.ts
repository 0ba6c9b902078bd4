import type { IDataObject, INodeParameterResourceLocator } from 'n8n-workflow';

import { PATHS, readZipAnswer } from '../../api';
import type { Operation } from '../../helpers/runner';
import { positiveInteger, zip } from '../../helpers/values';

export const checkZip: Operation = {
	description: [
		{
			displayName: 'SKU',
			name: 'sku',
			type: 'resourceLocator',
			required: true,
			default: { mode: 'list', value: '' },
			description: 'The service to check',
			modes: [
				{
					displayName: 'From List',
					name: 'list',
					type: 'list',
					typeOptions: { searchListMethod: 'searchSkus', searchable: true },
				},
				{
					displayName: 'By ID',
					name: 'id',
					type: 'string',
					placeholder: 'e.g. 10639',
					validation: [{ type: 'regex', properties: { regex: '^\\s*\\d+\\s*$', errorMessage: 'Not a SKU ID' } }],
				},
			],
		},
		{
			displayName: 'ZIP Code',
			name: 'zip',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. 90017',
			description: 'The 5-digit US ZIP code where the customer is',
		},
	],

	async execute(input, api) {
		const locator = input.param<INodeParameterResourceLocator | string | number>('sku');
		const raw = typeof locator === 'object' && locator !== null ? locator.value : locator;
		const skuId = input.check('SKU', () => positiveInteger(input.requiredText('SKU', raw)));
		// The raw value, not its text: a ZIP column read as a number (02134 → 2134) gets its zero back.
		const rawZip = input.param('zip');
		input.requiredText('ZIP Code', rawZip);
		const zipCode = input.check('ZIP Code', () => zip(rawZip));
		const answer = (await api.request({
			method: 'POST',
			path: PATHS.skuCheckZip(skuId),
			body: { zip: zipCode },
			subject: `SKU ${skuId}`,
			idempotent: true,
			itemIndex: input.itemIndex,
		})) as IDataObject;
		return {
			sku_id: skuId,
			...answer,
			zip: answer?.zip ?? zipCode,
			available: readZipAnswer(answer).offered,
		};
	},
};
