import type { IDataObject, IExecuteFunctions, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { invalidField } from '../transport/errors';
import { isBlank, text, ValueProblem } from './values';

/**
 * Checks parameter values with the parsers of `values.ts`. Every problem becomes an error that
 * names the field as the UI labels it (and the item, when there is one), before anything is sent.
 */
export class FieldChecker {
	constructor(
		private readonly node: INode,
		readonly timezone: string,
		readonly itemIndex?: number,
	) {}

	fail(label: string, problem: string, description?: string): never {
		throw invalidField(this.node, this.itemIndex, label, problem, description);
	}

	/** Runs a parser from `values.ts`; its complaint becomes an error naming `label` and the item. */
	check<T>(label: string, parse: () => T): T {
		try {
			return parse();
		} catch (error) {
			if (error instanceof ValueProblem) this.fail(label, error.message);
			// Already a NodeOperationError (a required field left empty): passed through as it is.
			throw new NodeOperationError(this.node, error as Error, { itemIndex: this.itemIndex });
		}
	}

	/** Text that must be filled in: a number or a boolean becomes text, an object or a list is refused. */
	requiredText(label: string, value: unknown): string {
		if (isBlank(value)) this.fail(label, 'is required');
		const result = this.check(label, () => text(value));
		if (result === '') this.fail(label, 'is required');
		return result;
	}

	/** Text that may be left empty: undefined when it is. Objects and lists are refused, naming `label`. */
	optionalText(label: string, value: unknown): string | undefined {
		return this.check(label, () => text(value)) || undefined;
	}
}

/** One input item's parameters, read and checked. */
export class ItemInput extends FieldChecker {
	constructor(
		readonly fn: IExecuteFunctions,
		readonly itemIndex: number,
	) {
		super(fn.getNode(), fn.getTimezone(), itemIndex);
	}

	/** The node version the workflow saved (1 or 2): what its parameters mean. */
	get version(): number {
		return this.fn.getNode().typeVersion;
	}

	param<T = unknown>(name: string, fallback?: unknown): T {
		return this.fn.getNodeParameter(name, this.itemIndex, fallback) as T;
	}

	/** A collection parameter (Additional Fields, Filters, Options) as a plain object. */
	collection(name: string): IDataObject {
		return this.param<IDataObject>(name, {}) ?? {};
	}

}
