/**
 * This package's documentation, its README, as both nodes, their codex files and the credential
 * link it. No #anchor: n8n appends a ?utm_… query to codex links, which would break an anchor.
 */
export const DOCUMENTATION_URL = 'https://www.npmjs.com/package/n8n-nodes-hellotech';

/** What the HelloTech node does, as n8n's nodes panel shows it. */
export const NODE_DESCRIPTION = 'Book HelloTech technicians, manage clients and check where services are offered';

/**
 * n8n's nodes panel lists the node and its trigger as one entry, "HelloTech" (the trigger's name
 * without "Trigger"), with the node's actions and the trigger's events, and shows the trigger's
 * description for that entry. So the trigger's description describes the whole entry: what the
 * node does, then what the trigger adds.
 */
export const TRIGGER_DESCRIPTION = `${NODE_DESCRIPTION}; start workflows when an order is created or changes status`;
