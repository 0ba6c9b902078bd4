import { PATHS } from '../../api';
import { readList, returnAllFields } from '../../helpers/paging';
import type { Operation } from '../../helpers/runner';

export const getMany: Operation = {
	description: returnAllFields,

	async execute(input, api) {
		return await readList(input, api, {}, { path: PATHS.skus, listKey: 'skus' });
	},
};
