import type { IDataObject, IExecuteFunctions, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { invalidField } from '../transport/errors';
import { EVALUATE, itemReference, readReference } from './itemReference';
import { isBlank, text, ValueProblem } from './values';

/**
 * Checks parameter values with the parsers of `values.ts`. Every problem becomes an error that
 * names the field as the UI labels it (and the item, when there is one), before anything is sent.
 */
export class FieldChecker {
	constructor(
		protected readonly node: INode,
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

/**
 * The node and time zone of a run, read once per run: n8n's getNode() copies the whole node
 * (parameters included) on every call, which adds up over thousands of items.
 */
const runs = new WeakMap<IExecuteFunctions, { node: INode; timezone: string }>();

function runOf(fn: IExecuteFunctions): { node: INode; timezone: string } {
	let run = runs.get(fn);
	if (!run) {
		run = { node: fn.getNode(), timezone: fn.getTimezone() };
		runs.set(fn, run);
	}
	return run;
}

/** One input item's parameters, read and checked. */
export class ItemInput extends FieldChecker {
	constructor(
		readonly fn: IExecuteFunctions,
		readonly itemIndex: number,
	) {
		const { node, timezone } = runOf(fn);
		super(node, timezone, itemIndex);
	}

	/** The node version the workflow saved (1 or 2): what its parameters mean. */
	get version(): number {
		return this.node.typeVersion;
	}

	/** Whether the node runs as an AI Agent tool (the "…Tool" twin n8n makes; see output.ts). */
	get asTool(): boolean {
		return this.node.type.endsWith('Tool');
	}

	param<T = unknown>(name: string, fallback?: unknown): T {
		const direct = this.fromItem(name);
		if (direct !== EVALUATE) return direct as T;
		return this.fn.getNodeParameter(name, this.itemIndex, fallback) as T;
	}

	/** The parameter as the workflow saved it, expressions unresolved (`a.b` for a nested one). */
	saved(name: string): unknown {
		let value: unknown = this.node.parameters;
		for (const key of name.split('.')) value = value && typeof value === 'object' ? (value as IDataObject)[key] : undefined;
		return value;
	}

	/** A parameter that is only `{{ $json.field }}`, read from the item (see itemReference.ts); else EVALUATE. */
	fromItem(name: string): unknown {
		const path = itemReference(this.saved(name));
		return path ? readReference(this.fn.getInputData()[this.itemIndex]?.json ?? {}, path) : EVALUATE;
	}

	/** A collection parameter (Additional Fields, Filters, Options) as a plain object. */
	collection(name: string): IDataObject {
		return this.param<IDataObject>(name, {}) ?? {};
	}

}
