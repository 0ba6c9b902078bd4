import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { invalidField } from '../transport/errors';
import { isBlank, ValueProblem } from './values';

/**
 * One input item's parameters, read and checked. Every problem becomes an error that names the
 * field as the UI labels it and the item, before anything is sent to HelloTech.
 */
export class ItemInput {
	constructor(
		readonly fn: IExecuteFunctions,
		readonly itemIndex: number,
	) {}

	param<T = unknown>(name: string, fallback?: unknown): T {
		return this.fn.getNodeParameter(name, this.itemIndex, fallback) as T;
	}

	/** A collection parameter (Additional Fields, Filters, Options) as a plain object. */
	collection(name: string): IDataObject {
		return this.param<IDataObject>(name, {}) ?? {};
	}

	fail(label: string, problem: string, description?: string): never {
		throw invalidField(this.fn.getNode(), this.itemIndex, label, problem, description);
	}

	/** Runs a parser from `values.ts`; its complaint becomes an error naming `label` and the item. */
	check<T>(label: string, parse: () => T): T {
		try {
			return parse();
		} catch (error) {
			if (error instanceof ValueProblem) this.fail(label, error.message);
			// Already a NodeOperationError (a required field left empty): passed through as it is.
			throw new NodeOperationError(this.fn.getNode(), error as Error, { itemIndex: this.itemIndex });
		}
	}

	/** Text that must be filled in. */
	requiredText(label: string, value: unknown): string {
		if (isBlank(value)) this.fail(label, 'is required');
		if (typeof value === 'object') this.fail(label, `must be text, got ${JSON.stringify(value)}`);
		return String(value).trim();
	}

	/** Text that may be left empty: undefined when it is. */
	optionalText(value: unknown): string | undefined {
		return isBlank(value) ? undefined : String(value).trim();
	}

	get timezone(): string {
		return this.fn.getTimezone();
	}
}
