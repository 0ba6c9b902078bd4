import type { IDataObject } from 'n8n-workflow';

import { PATHS } from '../../api';
import type { Operation } from '../../helpers/runner';
import { pickedValue, skuPicker } from '../../helpers/skuFields';
import { positiveInteger, zip } from '../../helpers/values';

export const checkZip: Operation = {
	description: [
		{ ...skuPicker({ displayName: 'SKU', name: 'sku', description: 'The service to check' }), required: true },
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

	prepare(input) {
		const raw = pickedValue(input.param('sku'));
		const skuId = input.check('SKU', () => positiveInteger(input.requiredText('SKU', raw)));
		// The raw value, not its text: a ZIP column read as a number (02134 → 2134) gets its zero back.
		const rawZip = input.param('zip');
		input.requiredText('ZIP Code', rawZip);
		const zipCode = input.check('ZIP Code', () => zip(rawZip));
		return async (api) => {
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
				available: String(answer?.treatment ?? '').toLowerCase() === 'on',
			};
		};
	},
};
