'use strict';

module.exports = async () => {
	await globalThis.__HELLOTECH_SANDBOX__?.stop();
};
