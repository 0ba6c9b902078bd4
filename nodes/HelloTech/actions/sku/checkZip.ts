import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { PATHS, readZipAnswer } from '../../api';
import type { Operation } from '../../helpers/runner';
import { pickedId } from '../../helpers/locator';
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
				displayName: label,
				name: 'sku',
				type: 'resourceLocator',
				required: true,
				default: { mode: 'list', value: '' },
				description,
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

	async execute(input, api) {
		const skuId = pickedId(input, 'sku', input.version < 2 ? 'SKU' : 'SKU ID');
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
