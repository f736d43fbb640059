/**
 * The resource envelope shared by every layer. Spec shapes per kind are generated from schemas/
 * (see ./generated/); this file only knows the envelope and addresses.
 */
export const KINDS = ['Campaign', 'Message', 'ExternalTrigger', 'Bulletin', 'Schedule'] as const;
export type Kind = (typeof KINDS)[number];

/** The lower-case prefix of an address: `campaign.winter-sale`, `trigger.subscription-upgraded`. */
export const ADDRESS_PREFIX: Record<Kind, string> = {
  Campaign: 'campaign',
  Message: 'message',
  ExternalTrigger: 'trigger',
  Bulletin: 'bulletin',
  Schedule: 'schedule',
};

export const API_VERSION = 'campaignctl/v1';

export interface SourceLocation {
  /** Path relative to the project root, forward slashes. */
  file: string;
  /** 0-based index of the YAML document inside the file. */
  documentIndex: number;
  /** 1-based position of the document's `kind`/start, for messages about the resource as a whole. */
  line: number;
  column: number;
}

export interface Resource<S = Record<string, unknown>> {
  kind: Kind;
  address: string;
  name: string;
  labels: Record<string, string>;
  protect: boolean;
  spec: S;
  source: SourceLocation;
}

export function addressOf(kind: Kind, name: string): string {
  return `${ADDRESS_PREFIX[kind]}.${name}`;
}

/** Parses `campaign.winter-sale` into its kind and name; undefined when the prefix is unknown. */
export function parseAddress(address: string): { kind: Kind; name: string } | undefined {
  const dot = address.indexOf('.');
  if (dot <= 0) return undefined;
  const prefix = address.slice(0, dot);
  const name = address.slice(dot + 1);
  const kind = KINDS.find((k) => ADDRESS_PREFIX[k] === prefix);
  return kind && name ? { kind, name } : undefined;
}
