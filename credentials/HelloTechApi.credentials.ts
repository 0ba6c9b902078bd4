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

	// This package's README (its Credentials section says where the key comes from). No #anchor:
	// n8n may append a ?utm_… query.
	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-hellotech';

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

	// Listing one order is the cheapest authenticated call the API publishes: a wrong key answers
	// 401, a right one 200. n8n shows the message of the rule matching the answer's status (else
	// only the HTTP status text, such as "Unauthorized").
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '/api/partners/orders',
			qs: { limit: 1 },
			headers: { Accept: 'application/json' },
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'HelloTech refused the API key (HTTP 401). Check the API Key, and that the Base URL is the host HelloTech issued it for.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message: 'HelloTech refused this API key access to orders (HTTP 403). Ask HelloTech to enable the Partner API for it.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'No HelloTech Partner API at this Base URL (HTTP 404 for /api/partners/orders). Check the Base URL, e.g. https://apis.hellotech.com.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 429,
					message: 'HelloTech is rate limiting this API key (HTTP 429): the key works, try the test again in a minute.',
				},
			},
			...[500, 502, 503, 504].map((value) => ({
				type: 'responseCode' as const,
				properties: {
					value,
					message: `HelloTech answered HTTP ${value} (a server error): the key could not be checked. Try again later.`,
				},
			})),
		],
	};
}
