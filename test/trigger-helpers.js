'use strict';
/** What the trigger tests share: an "active trigger" polled through n8n-core's poll path, and its stored state. */
const { credentials } = require('./helpers');
const { pollTrigger } = require('./harness/engine');

const NODE = 'HelloTech Trigger';

/** What the node keeps under its static data key. */
const nodeState = (staticData) => staticData?.[`node:${NODE}`];

/** The IDs the stored state counts as handled after its anchor: `seen` holds them sorted, as differences. */
function seenIds(state) {
	let id = 0;
	return state.seen.map((delta) => (id += delta));
}

/**
 * An activated trigger: each poll gets the static data the previous one left, as n8n keeps it,
 * also after a failed poll. `staticData`: what an earlier version of the node stored, if any.
 */
function activate(parameters, staticData) {
	return {
		async poll() {
			const result = await pollTrigger(parameters, { credentials: credentials(), staticData, nodeName: NODE });
			staticData = result.staticData;
			return result;
		},
		get staticData() {
			return staticData;
		},
		get state() {
			return nodeState(staticData);
		},
	};
}

module.exports = { NODE, nodeState, seenIds, activate };
