'use strict';
// n8n loads the node and credential through the "n8n" block of package.json; this entry point
// lets code require the package too. Both classes come from the compiled dist/.
module.exports = {
	HelloTech: require('./dist/nodes/HelloTech/HelloTech.node.js').HelloTech,
	HelloTechApi: require('./dist/credentials/HelloTechApi.credentials.js').HelloTechApi,
};
