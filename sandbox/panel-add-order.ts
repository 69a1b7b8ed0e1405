import { isCalendarDate } from '../src/calendar/index.js';
import type { PanelService } from './panel-service.js';
import type { OrderDraft } from './world-model.js';

export type AddOrderRequest =
  | { readonly ok: true; readonly draft: OrderDraft }
  | { readonly ok: false; readonly status: 400 | 404; readonly message: string };

/**
 * Reads `action=add` parameters the way the seed documents them for each
 * service type (Default, SEO, Custom Comments, Custom Comments Package, Poll,
 * Invites from Groups, Package) and refuses Subscriptions, which the API
 * cannot create. Quantities are checked against the service's min and max.
 */
export function parseAddOrder(form: URLSearchParams, services: readonly PanelService[]): AddOrderRequest {
  const serviceId = form.get('service')?.trim();
  if (!serviceId) return refuse(400, 'Missing required parameter: service');
  const service = services.find((candidate) => candidate.id === serviceId);
  if (service === undefined) return refuse(404, 'Incorrect service ID');
  const text = (name: string): string | undefined => {
    const value = form.get(name)?.trim();
    return value ? value : undefined;
  };
  const missing = (...names: string[]): AddOrderRequest | undefined => {
    const absent = names.filter((name) => text(name) === undefined);
    return absent.length === 0
      ? undefined
      : refuse(400, `Missing required parameter${absent.length > 1 ? 's' : ''}: ${absent.join(', ')}`);
  };
  const quantityIn = (quantity: number | undefined, what = 'Quantity'): AddOrderRequest | undefined =>
    quantity === undefined || quantity < service.min || quantity > service.max
      ? refuse(400, `${what} must be between ${service.min} and ${service.max}`)
      : undefined;

  switch (service.type) {
    case 'Subscriptions':
      return refuse(
        400,
        'Subscription orders must be created from the customer site; API creation of subscriptions is not supported',
      );
    case 'Package':
      return missing('link') ?? accept({ service, quantity: service.fixedQuantity ?? service.min });
    case 'Custom Comments': {
      const absent = missing('link', 'comments');
      if (absent) return absent;
      const quantity = lines(form.get('comments')).length;
      return quantityIn(quantity, `The number of comments (${quantity})`) ?? accept({ service, quantity });
    }
    case 'Custom Comments Package':
      return missing('username', 'min', 'max', 'delay') ?? commentsPackageOrder(service, text, quantityIn);
    case 'Default': {
      const absent = missing('link', 'quantity');
      if (absent) return absent;
      const quantity = wholeNumber(text('quantity'));
      const runs = text('runs') === undefined ? 1 : wholeNumber(text('runs'));
      const interval = text('interval') === undefined ? 0 : wholeNumber(text('interval'));
      if (runs === undefined || runs < 1 || runs > 1000)
        return refuse(400, 'runs must be a whole number from 1 to 1000');
      if (interval === undefined) return refuse(400, 'interval must be a whole number of minutes');
      // Drip-feed: `quantity` is delivered on each of `runs` runs, so the order is for quantity × runs.
      return quantityIn(quantity) ?? accept({ service, quantity: (quantity ?? 0) * runs });
    }
    case 'SEO':
      return missing('link', 'keywords', 'quantity') ?? quantityOrder(service, text('quantity'), quantityIn);
    case 'Poll': {
      const absent = missing('link', 'quantity', 'answer_number');
      if (absent) return absent;
      const answer = wholeNumber(text('answer_number'));
      if (answer === undefined || answer < 1) return refuse(400, 'answer_number must be a whole number of at least 1');
      return quantityOrder(service, text('quantity'), quantityIn);
    }
    case 'Invites from Groups': {
      const absent = missing('link', 'groups', 'quantity');
      if (absent) return absent;
      if (lines(form.get('groups')).length === 0) return refuse(400, 'groups must list at least one source group');
      return quantityOrder(service, text('quantity'), quantityIn);
    }
    default: {
      const unexpected: never = service.type;
      return refuse(400, `Service type ${String(unexpected)} cannot be ordered through the API`);
    }
  }
}

/** A Custom Comments Package (its required fields present): posts × max comments, each post's bounds within the service's. */
function commentsPackageOrder(
  service: PanelService,
  text: (name: string) => string | undefined,
  quantityIn: (quantity: number | undefined, what?: string) => AddOrderRequest | undefined,
): AddOrderRequest {
  const min = wholeNumber(text('min'));
  const max = wholeNumber(text('max'));
  const delay = wholeNumber(text('delay'));
  const posts = text('posts') === undefined ? 1 : wholeNumber(text('posts'));
  const oldPosts = text('old_posts') === undefined ? 0 : wholeNumber(text('old_posts'));
  const expiry = text('expiry');
  if (min === undefined || max === undefined || delay === undefined)
    return refuse(400, 'min, max and delay must be whole numbers');
  if (posts === undefined || posts < 1) return refuse(400, 'posts must be a whole number of at least 1');
  if (oldPosts === undefined) return refuse(400, 'old_posts must be a whole number');
  if (expiry !== undefined && !isCalendarDate(expiry)) return refuse(400, 'expiry must be a date YYYY-MM-DD');
  if (min > max) return refuse(400, 'min must not be above max');
  const bounds = quantityIn(min, 'min') ?? quantityIn(max, 'max');
  return bounds ?? accept({ service, quantity: posts * max, posts, minPerPost: min, maxPerPost: max });
}

function quantityOrder(
  service: PanelService,
  text: string | undefined,
  quantityIn: (quantity: number | undefined) => AddOrderRequest | undefined,
): AddOrderRequest {
  const quantity = wholeNumber(text);
  return quantityIn(quantity) ?? accept({ service, quantity: quantity ?? 0 });
}

function wholeNumber(text: string | undefined): number | undefined {
  return text !== undefined && /^\d{1,9}$/.test(text) ? Number(text) : undefined;
}

/** Non-empty lines; the seed also accepts comma-separated keywords, but comments and groups are one per line. */
function lines(text: string | null): string[] {
  return (text ?? '').split(/\r?\n/).filter((line) => line.trim() !== '');
}

function refuse(status: 400 | 404, message: string): AddOrderRequest {
  return { ok: false, status, message };
}

function accept(draft: OrderDraft): AddOrderRequest {
  return { ok: true, draft };
}
