import type { INodeParameterResourceLocator, INodeProperties } from 'n8n-workflow';

/** SKU IDs picked from HelloTech's catalogue (loaded live), or given by ID or expression. */
export function skuIdsField(purpose: string): INodeProperties {
	return {
		displayName: 'SKU Names or IDs',
		name: 'skuIds',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'getSkus' },
		required: true,
		default: [],
		description: `${purpose} Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>`,
	};
}

/** A SKU record picker: a service from HelloTech's catalogue (searched live), or its ID. */
export function skuPicker(field: Pick<INodeProperties, 'displayName' | 'name' | 'description'>): INodeProperties {
	return {
		...field,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
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
	};
}

/** What a SKU picker holds: the ID picked or typed (a record picker's value), or the value itself. */
export function pickedValue(locator: unknown): unknown {
	return typeof locator === 'object' && locator !== null && !Array.isArray(locator)
		? (locator as INodeParameterResourceLocator).value
		: locator;
}
