import { ORDER_FIELDS } from './columns';

/**
 * Order → Create as an AI Agent tool: each order field filled by the model, as n8n's editor fills
 * a field when the user clicks ✨ ("Let the model define this parameter"). n8n builds the tool's
 * schema from the `$fromAI()` calls in the node's parameters (n8n-core's createNodeAsTool), so
 * each field here is one described argument; its key is the field's label as the editor writes it
 * (First Name → First_Name). Every argument defaults to empty, the ones HelloTech always requires
 * (Address, Phone, SKU IDs) saying so: a call that leaves one out then reaches the node, whose
 * checks answer naming the field ("Phone: is required"), where a schema's refusal would reach an
 * agent as "Invalid or incomplete tool input" or fail the run.
 */
const DESCRIPTIONS: Record<string, string> = {
	first_name: "The customer's first name. Needed for a new client; leave empty with a Client ID.",
	last_name: "The customer's last name. Needed for a new client; leave empty with a Client ID.",
	email: "The customer's email address. Needed for a new client; leave empty with a Client ID.",
	client_id: 'The HelloTech client ID (a whole number) of an existing client. Leave empty to create a new client from First Name, Last Name and Email.',
	address: "Required. The customer's full US service address in one line: street, city, state and 5-digit ZIP, e.g. 719 Flower St, Los Angeles, CA 90017.",
	address_details: 'Apartment, suite, floor or gate code, if any.',
	phone: "Required. The customer's phone number, e.g. (310) 555-0123.",
	sku_id: 'Required. The HelloTech SKU IDs of the services to book: whole numbers, comma-separated, e.g. 10639, 10641. List services gives them.',
	time_windows:
		"One-hour windows in which the technician may come, in the workflow's time zone, each as YYYY-MM-DD HH:MM-HH:MM, separated by ;, e.g. 2026-12-01 09:00-10:00; 2026-12-02 14:00-15:00. Leave empty to let HelloTech schedule.",
	purchase_order_id: 'Your reference for the order, such as the shop order number, e.g. #1001. Optional.',
	business_name: "The customer's business name, if the order is for a business. Optional.",
	devices: 'The devices to set up, comma-separated, e.g. Samsung TV, Sonos soundbar. Optional.',
	notes: 'Anything the technician should know. Optional.',
};

/** The label as n8n's editor turns it into a `$fromAI` key: `_` for what is not a letter, digit or `-`. */
export const toolKey = (displayName: string) => displayName.replace(/[^a-zA-Z0-9-]/g, '_').slice(0, 63);

/** The mapper's values of the tool: one `$fromAI()` per order field. */
export function toolColumns(): Record<string, string> {
	const values: Record<string, string> = {};
	for (const field of ORDER_FIELDS) {
		values[field.id] =
			`={{ /*n8n-auto-generated-fromAI-override*/ $fromAI('${toolKey(field.displayName)}', \`${DESCRIPTIONS[field.id]}\`, 'string', '') }}`;
	}
	return values;
}
