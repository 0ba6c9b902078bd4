import { PATHS } from '../../api';
import { readList, returnAllFields } from '../../helpers/paging';
import type { Operation } from '../../helpers/runner';

export const getMany: Operation = {
	description: returnAllFields,

	prepare(input) {
		return readList(input, {}, { path: PATHS.skus, listKey: 'skus' });
	},
};
