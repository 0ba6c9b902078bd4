import type { INodeProperties } from 'n8n-workflow';

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
