'use strict';
/**
 * A local mail server for test:n8n (the npm package smtp-server): n8n's Send Email node delivers
 * to it over SMTP with a user name and password, as to a real one, and the test reads what
 * arrived. It listens on loopback, on a free port, with plain SMTP and AUTH (no TLS: nothing
 * leaves the machine). A message is acknowledged only once it is stored, so when n8n's run ends
 * every message it sent is in `messages`.
 */
const { SMTPServer } = require('smtp-server');
const { simpleParser } = require('mailparser');

/** Starts the server: { host, port, user, password, credentialData, messages, parse(message), close() }. */
async function startSmtpServer({ user = 'reports', password = 'smtp-test-password' } = {}) {
	const messages = [];
	const server = new SMTPServer({
		secure: false,
		disabledCommands: ['STARTTLS'],
		allowInsecureAuth: true,
		authMethods: ['PLAIN', 'LOGIN'],
		logger: false,
		onAuth(auth, session, done) {
			if (auth.username === user && auth.password === password) return done(null, { user });
			return done(Object.assign(new Error('Invalid user name or password'), { responseCode: 535 }));
		},
		onData(stream, session, done) {
			const chunks = [];
			stream.on('data', (chunk) => chunks.push(chunk));
			stream.on('end', () => {
				messages.push({
					from: session.envelope.mailFrom?.address,
					to: session.envelope.rcptTo.map((recipient) => recipient.address),
					user: session.user,
					raw: Buffer.concat(chunks),
				});
				done();
			});
		},
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', resolve);
	});
	const host = '127.0.0.1';
	const { port } = server.server.address();
	return {
		host,
		port,
		user,
		password,
		/** The data of n8n's SMTP credential ("smtp") that logs in to this server. */
		credentialData: { host, port, secure: false, disableStartTls: true, user, password },
		messages,
		/** The message parsed (mailparser): subject, from, to, text, html, attachments with their content. */
		parse: (message) => simpleParser(message.raw),
		close: () => new Promise((resolve) => server.close(resolve)),
	};
}

module.exports = { startSmtpServer };
