import type {
	Icon,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

export class HelloTechApi implements ICredentialType {
	name = 'helloTechApi';

	displayName = 'HelloTech API';

	icon: Icon = { light: 'file:hellotech.svg', dark: 'file:hellotech.dark.svg' };

	documentationUrl = 'https://docs.partner.hellotech.com';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The partner API key HelloTech issued to you. It is sent in the Api-Key header.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://apis.hellotech.com',
			required: true,
			placeholder: 'https://apis.hellotech.com',
			description:
				'Where the HelloTech Partner API lives. Keep the documented host, or enter the staging, production or local sandbox address HelloTech gave you.',
		},
	];

	// A function, not the generic `{ headers: { 'Api-Key': '={{$credentials.apiKey}}' } }` block:
	// n8n evaluates that expression again for every request (in n8n 2.x, in its expression
	// isolate), while a function only sets the header. n8n calls it for the node's requests and
	// for the credential test alike.
	authenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => {
		requestOptions.headers = { ...requestOptions.headers, 'Api-Key': String(credentials.apiKey ?? '') };
		return requestOptions;
	};

	// Listing one order is the cheapest authenticated call the API publishes:
	// a wrong key answers 401, a right one 200.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '/api/partners/orders',
			qs: { limit: 1 },
			headers: { Accept: 'application/json' },
		},
	};
}
