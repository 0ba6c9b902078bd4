import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { PATHS, readZipAnswer } from '../../api';
import type { Operation } from '../../helpers/runner';
import { pickedId } from '../../helpers/locator';
import { skuPicker } from '../../helpers/skuFields';
import { zip } from '../../helpers/values';
import { fromV2, onlyV1 } from '../../helpers/versions';

export const checkZip: Operation = {
	description: [
		// Version 2 says "SKU ID": an AI Agent fills this field under that name (the editor makes the
		// tool parameter's key from the label), and an ID is what it takes.
		...[
			{ label: 'SKU', show: onlyV1, description: 'The service to check' },
			{
				label: 'SKU ID',
				show: fromV2,
				description: 'The service to check: pick it from the catalogue, or give its SKU ID (a number such as 10639)',
			},
		].map(
			({ label, show, description }): INodeProperties => ({
				...skuPicker({ displayName: label, name: 'sku', description }),
				required: true,
				displayOptions: show,
			}),
		),
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
		const skuId = pickedId(input, 'sku', input.version < 2 ? 'SKU' : 'SKU ID');
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
				available: readZipAnswer(answer).offered,
			};
		};
	},
};
