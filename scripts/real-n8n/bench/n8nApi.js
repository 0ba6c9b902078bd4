'use strict';
/**
 * The running n8n (`n8n start`) as the bench drives it: its REST API as the editor uses it
 * (owner sign-up, credentials, workflows saved and activated, executions read back), its
 * production webhooks, and the memory and CPU of its process read from /proc.
 */
const fs = require('fs');
const path = require('path');

const { ownerSession } = require('../rest');

/** The owner the bench signs up in its fresh n8n. */
const BENCH_OWNER = { email: 'bench@example.com', firstName: 'HelloTech', lastName: 'Bench', password: 'HelloTech-bench-1' };

/**
 * What the bench needs of a running n8n. `flatted` is n8n's own (it stores run data flattened);
 * it is read from n8n's install, not a dependency of this package.
 */
class N8nBench {
	constructor(baseUrl, call, n8nDir) {
		this.baseUrl = baseUrl;
		this.call = call;
		this.flatted = require(path.join(n8nDir, 'node_modules', 'flatted'));
	}

	static async connect(baseUrl, n8nDir) {
		const session = await ownerSession(baseUrl, BENCH_OWNER);
		return new N8nBench(baseUrl, session.request, n8nDir);
	}

	/** Saves a credential as the editor does (n8n encrypts it); resolves { id, name }. */
	async credential(name, type, data) {
		const saved = await this.call('POST', '/credentials', { name, type, data });
		return { id: saved.id, name: saved.name };
	}

	/** Saves a workflow and activates (publishes) it: its production webhook listens from then on. */
	async activeWorkflow(workflow) {
		const saved = await this.call('POST', '/workflows', workflow);
		await this.call('POST', `/workflows/${saved.id}/activate`, { versionId: saved.versionId });
		return saved.id;
	}

	/** POSTs to a production webhook; the workflows answer when their last node is done. */
	async trigger(webhookPath, body) {
		const response = await fetch(`${this.baseUrl}/webhook/${webhookPath}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body ?? {}),
		});
		await response.text();
		return response.status;
	}

	/** The newest finished execution of a workflow newer than `afterId`, waiting for it to be saved. */
	async finishedExecution(workflowId, afterId, timeoutMs = 120_000) {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const { results } = await this.call('GET', `/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}&limit=1`);
			const latest = results[0];
			if (latest && Number(latest.id) > Number(afterId ?? 0) && !['new', 'running'].includes(latest.status)) return latest;
			if (Date.now() > deadline) throw new Error(`no finished execution of workflow ${workflowId} after ${timeoutMs / 1000} s (latest: ${JSON.stringify(latest)})`);
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
	}

	async latestExecutionId(workflowId) {
		const { results } = await this.call('GET', `/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}&limit=1`);
		return results[0]?.id ?? 0;
	}

	/** An execution with its run data (n8n stores it flattened). */
	async execution(id) {
		const execution = await this.call('GET', `/executions/${id}`);
		const data = typeof execution.data === 'string' ? this.flatted.parse(execution.data) : execution.data;
		return { ...execution, data };
	}
}

// ---- the n8n process -----------------------------------------------------------------------------

const TICKS_PER_SECOND = 100; // Linux's USER_HZ

/** Resident memory (MB) and CPU time used so far (ms) of a process, from /proc. */
function processUsage(pid) {
	const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
	const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
	const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime
	return { rssMb: rssKb / 1024, cpuMs: (ticks * 1000) / TICKS_PER_SECOND };
}

/** Samples a process's RSS every `everyMs` until stopped: { beforeMb, peakMb, cpuMs }. */
function usageSampler(pid, everyMs = 20) {
	const before = processUsage(pid);
	let peak = before.rssMb;
	const timer = setInterval(() => {
		try {
			peak = Math.max(peak, processUsage(pid).rssMb);
		} catch {
			// the process has ended (the loop): its last sample stands
		}
	}, everyMs);
	return {
		stop() {
			clearInterval(timer);
			let after = { rssMb: peak, cpuMs: before.cpuMs };
			try {
				after = processUsage(pid);
			} catch {
				// ended
			}
			return { beforeMb: before.rssMb, peakMb: Math.max(peak, after.rssMb), cpuMs: after.cpuMs - before.cpuMs };
		},
	};
}

module.exports = { N8nBench, processUsage, usageSampler };
