// n8n's official community-node lint: the config that @n8n/node-cli ships
// (eslint-plugin-n8n-nodes-base + @n8n/eslint-plugin-community-nodes).
import { config } from '@n8n/node-cli/eslint';

export default [
	{ ignores: ['dist/**', 'node_modules/**', 'test/**', 'scripts/**', 'examples/**', 'bench/**', '*.js', '*.mjs'] },
	...config,
];
