import type { ILoadOptionsFunctions, ResourceMapperFields } from 'n8n-workflow';

import { orderColumnsSchema } from '../actions/order/columns';

/**
 * The fields of Order → Create's column mapper. The Create order body is published, so the list is
 * fixed: no request is made, and the mapper works before a credential is attached.
 */
export async function getOrderColumns(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	return { fields: orderColumnsSchema() };
}
