'use strict';
/**
 * A stand-in for OpenAI's Chat Completions API, for running the AI Agent example in a real n8n
 * without a model: n8n's OpenAI Chat Model node (with its credential's Base URL pointing here)
 * sends it the conversation and the tools; `reply(body)` (settable on the returned object)
 * decides the answer, a message with text or with tool calls, as a model would. Every request body is kept in `requests`, so a test reads
 * exactly what n8n offered the model (the tools' names, descriptions and argument schemas) and
 * what the tools answered. Answers stream (server-sent events) when the request asks for it.
 */
const http = require('http');

function completion(message, model) {
	return {
		id: `chatcmpl-mock-${Date.now()}`,
		object: 'chat.completion',
		created: Math.floor(Date.now() / 1000),
		model,
		choices: [{ index: 0, message: { role: 'assistant', content: null, ...message }, finish_reason: message.tool_calls ? 'tool_calls' : 'stop' }],
		usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
	};
}

function chunks(message, model) {
	const base = { id: `chatcmpl-mock-${Date.now()}`, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model };
	const delta = message.tool_calls
		? { role: 'assistant', content: null, tool_calls: message.tool_calls.map((call, index) => ({ index, ...call })) }
		: { role: 'assistant', content: message.content };
	return [
		{ ...base, choices: [{ index: 0, delta, finish_reason: null }] },
		{ ...base, choices: [{ index: 0, delta: {}, finish_reason: message.tool_calls ? 'tool_calls' : 'stop' }] },
	];
}

/** Starts the mock on a free loopback port; resolves with { url (ending in /v1), requests, reply, close() }. */
async function startMockOpenAi(reply) {
	const requests = [];
	const mock = { url: '', requests, reply, close: undefined };
	const server = http.createServer((req, res) => {
		let text = '';
		req.on('data', (chunk) => (text += chunk));
		req.on('end', () => {
			const send = (status, body) => {
				res.writeHead(status, { 'Content-Type': 'application/json' });
				res.end(JSON.stringify(body));
			};
			if (req.method === 'GET' && req.url.endsWith('/models')) return send(200, { object: 'list', data: [{ id: 'gpt-4.1-mini', object: 'model' }] });
			if (req.method !== 'POST' || !req.url.endsWith('/chat/completions')) return send(404, { error: { message: `mock: no ${req.method} ${req.url}` } });
			let body;
			try {
				body = JSON.parse(text);
			} catch {
				return send(400, { error: { message: 'mock: the body is not JSON' } });
			}
			requests.push(body);
			let message;
			try {
				message = mock.reply(body);
			} catch (error) {
				return send(500, { error: { message: `mock: ${error.message}` } });
			}
			if (!body.stream) return send(200, completion(message, body.model));
			res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
			for (const chunk of chunks(message, body.model)) res.write(`data: ${JSON.stringify(chunk)}\n\n`);
			res.end('data: [DONE]\n\n');
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	mock.url = `http://127.0.0.1:${server.address().port}/v1`;
	mock.close = () => new Promise((resolve) => server.close(resolve));
	return mock;
}

module.exports = { startMockOpenAi };
