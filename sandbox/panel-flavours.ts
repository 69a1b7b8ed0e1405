import { divideHalfEven, formatScaled } from '../src/money/index.js';
import { JsonNumber, jsonText, orderIdValue, quotedText, type JsonValue } from './json-text.js';
import { statusClass, undeliveredQuantity } from './order-refund.js';
import { orderCharge, panelAmount } from './panel-service.js';
import type { PanelBehaviour } from './sandbox-runtime.js';
import type { World } from './sandbox-world.js';
import type { OrderState } from './world-model.js';

/**
 * The families of panel scripts the sandbox can answer as (`ledgerline sandbox
 * --panel-flavour NAME`). Each one's wire choices are listed here, in one
 * place; the world underneath (orders, timelines, top-ups) is the same.
 *
 * - `seed`: the seed document (smm-panel-api-v2.txt) exactly: every field text,
 *   amounts with 5 decimals, the seed's HTTP error codes, an unknown id in a
 *   batch as {"error":"Incorrect order ID"}.
 * - `smartpanel`: SmartPanel (kkoss89/ss1) and its forks: every error inside
 *   HTTP 200, an unknown id in a batch as a bare string, the balance with
 *   "status":"success", PHP types (amounts and counts as JSON numbers, a float
 *   as json_encode writes it: 1.0e-5), money in DOUBLE columns (a charge is
 *   rate × quantity / 1000 unrounded, a refund charge × remains / quantity
 *   unrounded, 7 decimals), and a voided order shown "Refunded".
 * - `perfectpanel`: the docs template most panels publish, on a script that
 *   stores DOUBLE money: amounts as text of up to 7 decimals, errors inside
 *   HTTP 200, no currency in any reply (the source's own currency applies),
 *   and "Cancelled" spelt the British way.
 * - `single-status`: a PHP script with no batch status (the Ari-AlvesSk
 *   script): multiStatus answers a bare null, status&orders
 *   {"error":"Order not found.","status":"104"}; only status&order=ID answers,
 *   with PHP types and no currency.
 */
export const PANEL_FLAVOURS = ['seed', 'smartpanel', 'perfectpanel', 'single-status'] as const;
export type PanelFlavourName = (typeof PANEL_FLAVOURS)[number];

/** `seed`: 5-decimal money as the world holds it. `double`: unrounded money of a DOUBLE column, to 7 decimals. */
const MONEY_KINDS = ['seed', 'double'] as const;
type MoneyKind = (typeof MONEY_KINDS)[number];

export interface PanelFlavour {
  readonly name: PanelFlavourName;
  /** The error and batch behaviour it starts with (the admin API may still change it). */
  readonly behaviour: PanelBehaviour;
  readonly money: MoneyKind;
  /** Amounts and counts as text ("0.27819", "157") or as PHP's JSON numbers (0.0455223, 157). */
  readonly types: 'text' | 'php';
  /** Whether the balance and status replies name the currency. */
  readonly currency: boolean;
  /** Extra fields of the balance reply. */
  readonly balanceExtra: Readonly<Record<string, JsonValue>>;
  /** Status names spelt otherwise than the world's ("Canceled" → "Refunded"). */
  readonly statusNames: Readonly<Record<string, string>>;
}

const SEED_BEHAVIOUR: PanelBehaviour = {
  errorStyle: 'httpStatus',
  unknownOrderInBatch: 'errorObject',
  unknownSingleStatus: 'http404',
  batchStatus: 'seed',
};

export const PANEL_FLAVOUR_WIRES: Readonly<Record<PanelFlavourName, PanelFlavour>> = {
  seed: {
    name: 'seed',
    behaviour: SEED_BEHAVIOUR,
    money: 'seed',
    types: 'text',
    currency: true,
    balanceExtra: {},
    statusNames: {},
  },
  smartpanel: {
    name: 'smartpanel',
    behaviour: {
      errorStyle: 'inside200',
      unknownOrderInBatch: 'bareString',
      unknownSingleStatus: 'errorInside200',
      batchStatus: 'seed',
    },
    money: 'double',
    types: 'php',
    currency: true,
    balanceExtra: { status: 'success' },
    statusNames: { Canceled: 'Refunded' },
  },
  perfectpanel: {
    name: 'perfectpanel',
    behaviour: {
      errorStyle: 'inside200',
      unknownOrderInBatch: 'errorObject',
      unknownSingleStatus: 'errorInside200',
      batchStatus: 'seed',
    },
    money: 'double',
    types: 'text',
    currency: false,
    balanceExtra: {},
    statusNames: { Canceled: 'Cancelled' },
  },
  'single-status': {
    name: 'single-status',
    behaviour: {
      errorStyle: 'inside200',
      unknownOrderInBatch: 'missing',
      unknownSingleStatus: 'errorInside200',
      batchStatus: 'none',
    },
    money: 'seed',
    types: 'php',
    currency: false,
    balanceExtra: {},
    statusNames: {},
  },
};

/** A DOUBLE column's money is carried here in ten-millionths (7 decimals): 0.0455223 → 455223n. */
const DOUBLE_SCALE = 7;
const SEVENTHS_PER_MICRO = 10n;

/** action=balance as the flavour answers it on `date`. */
export function balanceReply(flavour: PanelFlavour, world: World, date: string): JsonValue {
  const balance =
    flavour.money === 'seed'
      ? money(flavour, world.balanceOn(date) * SEVENTHS_PER_MICRO)
      : money(flavour, doubleBalance(world, date));
  return { ...flavour.balanceExtra, balance, ...(flavour.currency ? { currency: world.source.panel.currency } : {}) };
}

/**
 * One order's status object as the flavour answers it, as JSON text. A parent of child orders
 * (`children`: those placed so far) has the shape SmartPanel's single_status gives: a subscription
 * {status, expiry, posts, orders}, a drip-feed {status, runs, orders}, and no charge. An order's
 * object is written field by field: a first import polls 200,000 of them.
 */
export function statusReplyText(
  flavour: PanelFlavour,
  order: OrderState,
  currency: string,
  children?: readonly string[],
): string {
  const status = flavour.statusNames[order.status] ?? order.status;
  if (children !== undefined) {
    const orders = children.map(orderIdValue);
    return jsonText(
      order.service.type === 'Subscriptions'
        ? {
            status,
            expiry: flavour.types === 'php' ? false : null,
            posts: count(flavour, String(children.length)),
            orders,
          }
        : { status, runs: count(flavour, String(children.length)), orders },
    );
  }
  const charge = flavour.money === 'seed' ? order.reportedCharge * SEVENTHS_PER_MICRO : doubleReportedCharge(order);
  return (
    `{"charge":${jsonText(money(flavour, charge))},"start_count":${jsonText(count(flavour, String(order.startCount)))},` +
    `"status":${quotedText(status)},"remains":${jsonText(count(flavour, order.remains))}${flavour.currency ? `,"currency":${quotedText(currency)}` : ''}}`
  );
}

/** The seed's 5-decimal text ("0.90000"), a DOUBLE's text ("0.0455223") or PHP's JSON number (0.0455223, 1.0e-5). */
function money(flavour: PanelFlavour, sevenths: bigint): JsonValue {
  if (flavour.types === 'php') return new JsonNumber(phpFloatText(sevenths, DOUBLE_SCALE));
  if (flavour.money === 'seed') return panelAmount(sevenths / SEVENTHS_PER_MICRO);
  return formatScaled(sevenths, DOUBLE_SCALE, 1);
}

/** PHP sends an integer column as a JSON number; text that is no number ("+12", "Unknown") stays text. */
function count(flavour: PanelFlavour, text: string): JsonValue {
  return flavour.types === 'php' && /^-?(?:0|[1-9]\d{0,14})$/.test(text) ? new JsonNumber(text) : text;
}

/**
 * A float as PHP's json_encode writes it (serialize_precision -1): the
 * shortest text, ".0" on a whole number, and exponent notation below 1e-4:
 * 100 → "100.0", 0.0455223 → "0.0455223", 0.00001 → "1.0e-5", 0.0000012 → "1.2e-6".
 */
export function phpFloatText(units: bigint, scale: number): string {
  const negative = units < 0n;
  const magnitude = negative ? -units : units;
  const sign = negative ? '-' : '';
  if (magnitude === 0n || magnitude * 10n ** 4n >= 10n ** BigInt(scale)) {
    const text = formatScaled(magnitude, scale, 0);
    return `${sign}${text.includes('.') ? text : `${text}.0`}`;
  }
  const digits = magnitude.toString().replace(/0+$/, '');
  const exponent = magnitude.toString().length - 1 - scale;
  const mantissa = digits.length === 1 ? `${digits}.0` : `${digits[0]}.${digits.slice(1)}`;
  return `${sign}${mantissa}e${exponent}`;
}

/**
 * What a DOUBLE panel debited: rate × quantity / 1000 without the world's
 * rounding to 5 decimals (0.0123 × 3701 / 1000 = 0.0455223), or the charge a
 * script set by hand.
 */
function doubleCharge(order: OrderState): bigint {
  const rounded = orderCharge(order.service, order.quantity);
  if (order.charge !== rounded) return order.charge * SEVENTHS_PER_MICRO;
  if (order.service.type === 'Package') return order.service.rate * SEVENTHS_PER_MICRO;
  return divideHalfEven(order.service.rate * SEVENTHS_PER_MICRO * BigInt(order.quantity), 1000n);
}

/** What a DOUBLE panel keeps of the charge: voided 0, a part delivered charge × (q − remains) / q unrounded (to 7 decimals). */
function doubleNet(order: OrderState): bigint {
  const charge = doubleCharge(order);
  const kind = statusClass(order.status);
  if (kind === 'voided') return 0n;
  if (kind === 'open' || order.quantity <= 0) return charge;
  const undelivered = undeliveredQuantity(order.remains, order.quantity);
  if (undelivered === 0) return charge;
  return divideHalfEven(charge * BigInt(order.quantity - undelivered), BigInt(order.quantity));
}

/** The charge a DOUBLE panel shows: lowered to what it kept on Partial and voided orders, as the world's refund mode says. */
function doubleReportedCharge(order: OrderState): bigint {
  const kind = statusClass(order.status);
  if (order.refundMode === 'keepCharge' || kind === 'open' || kind === 'completed') return doubleCharge(order);
  return doubleNet(order);
}

/** The opening balance and top-ups less what every order placed by `date` keeps, in ten-millionths. */
function doubleBalance(world: World, date: string): bigint {
  const panel = world.stateOn(date).panel;
  let balance = (panel.openingBalance + panel.topUpTotal) * SEVENTHS_PER_MICRO;
  for (const order of panel.orders) balance -= doubleNet(order);
  return balance;
}
