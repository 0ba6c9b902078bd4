'use strict';
// n8n loads the nodes and the credential through the "n8n" block of package.json; this entry
// point lets code require the package too. The classes come from the compiled dist/.
module.exports = {
	HelloTech: require('./dist/nodes/HelloTech/HelloTech.node.js').HelloTech,
	HelloTechTrigger: require('./dist/nodes/HelloTechTrigger/HelloTechTrigger.node.js').HelloTechTrigger,
	HelloTechApi: require('./dist/credentials/HelloTechApi.credentials.js').HelloTechApi,
};
