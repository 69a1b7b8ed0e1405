import { formatMicros, parseMicros, proRata, roundMicros } from '../src/money/index.js';

/** The service types of the panel's catalogue; each takes its own `add` parameter set (seed "Add order"). */
export const PANEL_SERVICE_TYPES = [
  'Default',
  'SEO',
  'Custom Comments',
  'Custom Comments Package',
  'Poll',
  'Subscriptions',
  'Invites from Groups',
  'Package',
] as const;
export type PanelServiceType = (typeof PANEL_SERVICE_TYPES)[number];

export interface PanelService {
  /** Service id as the catalogue shows it ("1"). */
  readonly id: string;
  readonly name: string;
  readonly type: PanelServiceType;
  /** Rate as the catalogue prints it ("0.90"): per 1000 units, or the flat price of a Package. */
  readonly rateText: string;
  readonly rate: bigint;
  readonly min: number;
  readonly max: number;
  readonly category: string;
  /** Package only: the fixed quantity every order of it delivers. */
  readonly fixedQuantity?: number;
}

export interface PanelServiceDefinition {
  id: string;
  name: string;
  type: PanelServiceType;
  rate: string;
  min: number;
  max: number;
  category: string;
  fixedQuantity?: number;
}

export function panelService(definition: PanelServiceDefinition): PanelService {
  return {
    id: definition.id,
    name: definition.name,
    type: definition.type,
    rateText: definition.rate,
    rate: parseMicros(definition.rate),
    min: definition.min,
    max: definition.max,
    category: definition.category,
    ...(definition.fixedQuantity === undefined ? {} : { fixedQuantity: definition.fixedQuantity }),
  };
}

/**
 * The catalogue of generated worlds (and of scripts that name none): one service
 * of every type, plus a Default service with a tiny rate whose charges need
 * rounding to 5 decimals (0.0123 × 3700 / 1000 = 0.045510 → "0.04551").
 */
export const STANDARD_SERVICES: readonly PanelService[] = [
  { id: '1', name: 'Instagram Followers', type: 'Default', rate: '0.90', min: 50, max: 10000, category: 'Instagram' },
  {
    id: '2',
    name: 'Instagram Custom Comments',
    type: 'Custom Comments',
    rate: '8',
    min: 10,
    max: 1500,
    category: 'Instagram',
  },
  {
    id: '3',
    name: 'YouTube Comments Package',
    type: 'Custom Comments Package',
    rate: '6.50',
    min: 5,
    max: 100,
    category: 'YouTube',
  },
  {
    id: '4',
    name: 'TikTok Likes Package 1000',
    type: 'Package',
    rate: '2.75',
    min: 1000,
    max: 1000,
    category: 'TikTok',
    fixedQuantity: 1000,
  },
  { id: '5', name: 'Telegram Poll Votes', type: 'Poll', rate: '1.20', min: 100, max: 20000, category: 'Telegram' },
  {
    id: '6',
    name: 'Google Keyword Traffic',
    type: 'SEO',
    rate: '2.40',
    min: 100,
    max: 50000,
    category: 'Website Traffic',
  },
  {
    id: '7',
    name: 'Telegram Members from Groups',
    type: 'Invites from Groups',
    rate: '3.40',
    min: 100,
    max: 10000,
    category: 'Telegram',
  },
  {
    id: '8',
    name: 'Instagram Auto Likes Subscription',
    type: 'Subscriptions',
    rate: '4.00',
    min: 50,
    max: 5000,
    category: 'Instagram',
  },
  {
    id: '9',
    name: 'Twitter Video Views',
    type: 'Default',
    rate: '0.0123',
    min: 100,
    max: 1000000,
    category: 'Twitter',
  },
].map((definition) => panelService(definition as PanelServiceDefinition));

/**
 * What `add` charges: rate × quantity / 1000, half-even to the panel's 5
 * decimals (rate 0.90 × 1000 → 0.90000); a Package costs its flat rate. A
 * Custom Comments Package is billed at its upper bound, quantity = posts × max.
 */
export function orderCharge(service: PanelService, quantity: number): bigint {
  if (service.type === 'Package') return roundMicros(service.rate, 5);
  return proRata(service.rate, BigInt(quantity), 1000n, 5);
}

/** Amounts as the panel prints them: text with 5 decimals ("0.27819", "100.84292"). */
export function panelAmount(micros: bigint): string {
  return formatMicros(micros, 5);
}
