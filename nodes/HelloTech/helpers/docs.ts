/**
 * This package's documentation, its README, as both nodes, their codex files and the credential
 * link it. No #anchor: n8n appends a ?utm_… query to codex links, which would break an anchor.
 */
export const DOCUMENTATION_URL = 'https://www.npmjs.com/package/n8n-nodes-hellotech';
