/**
 * US states and territories by name, so that a row giving a state twice (Shopify's `province`
 * "New York" and `province_code` "NY") is one state, not two competing values.
 */
const STATES: Record<string, string> = {
	alabama: 'al', alaska: 'ak', arizona: 'az', arkansas: 'ar', california: 'ca', colorado: 'co', connecticut: 'ct',
	delaware: 'de', 'district of columbia': 'dc', florida: 'fl', georgia: 'ga', hawaii: 'hi', idaho: 'id', illinois: 'il',
	indiana: 'in', iowa: 'ia', kansas: 'ks', kentucky: 'ky', louisiana: 'la', maine: 'me', maryland: 'md',
	massachusetts: 'ma', michigan: 'mi', minnesota: 'mn', mississippi: 'ms', missouri: 'mo', montana: 'mt', nebraska: 'ne',
	nevada: 'nv', 'new hampshire': 'nh', 'new jersey': 'nj', 'new mexico': 'nm', 'new york': 'ny', 'north carolina': 'nc',
	'north dakota': 'nd', ohio: 'oh', oklahoma: 'ok', oregon: 'or', pennsylvania: 'pa', 'rhode island': 'ri',
	'south carolina': 'sc', 'south dakota': 'sd', tennessee: 'tn', texas: 'tx', utah: 'ut', vermont: 'vt', virginia: 'va',
	washington: 'wa', 'west virginia': 'wv', wisconsin: 'wi', wyoming: 'wy', 'puerto rico': 'pr',
};
const CODES = new Set(Object.values(STATES));

/** The two-letter code of a state given by name or code (lower case), or undefined. */
export function stateCode(text: string): string | undefined {
	const key = text.trim().toLowerCase().replace(/\s+/g, ' ');
	if (CODES.has(key)) return key;
	return STATES[key];
}

const US = new Set(['us', 'usa', 'u.s.', 'u.s.a.', 'united states', 'united states of america', 'america']);

/** Whether a Country cell names the United States. */
export function isUnitedStates(text: string): boolean {
	return US.has(text.trim().toLowerCase());
}
