'use strict';
/** Reading and adjusting an example workflow's JSON, and reading an execution, for test:n8n. */

const nodeNamed = (workflow, name) => {
	const node = workflow.nodes.find((candidate) => candidate.name === name);
	if (!node) throw new Error(`${workflow.name}: no node named "${name}" (the test reads it; was it renamed?)`);
	return node;
};

/** Sets the value of a field of an Edit Fields (Set) node. */
const setField = (workflow, nodeName, field, value) => {
	const assignment = nodeNamed(workflow, nodeName).parameters.assignments.assignments.find((entry) => entry.name === field);
	if (!assignment) throw new Error(`${workflow.name}: node "${nodeName}" has no field "${field}"`);
	assignment.value = value;
};

/** The items a node put out in its first run (main output 0). */
const outputOf = (execution, nodeName) => execution.data.resultData.runData[nodeName]?.[0]?.data?.main?.[0] ?? [];

module.exports = { nodeNamed, setField, outputOf };
