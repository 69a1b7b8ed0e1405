import type { IncomingMessage } from 'node:http';
import { parseJsonExact, parseMicros, roundMicros } from '../src/money/index.js';
import type { SandboxMount } from './mount.js';
import { amountNumber, type JsonValue } from './json-text.js';
import type { SandboxRuntime } from './sandbox-runtime.js';
import { jsonReply, serveThroughGate, type Reply, type ServiceDialect } from './simulated-service.js';

export const PAYELANCER_PREFIX = '/payelancer';
export const PAYELANCER_API_PATH = '/backend/api/v1';

const ROUTES: Readonly<Record<string, { readonly action: string; readonly method: 'GET' | 'POST' }>> = {
  [`${PAYELANCER_API_PATH}/stats.php`]: { action: 'stats', method: 'GET' },
  [`${PAYELANCER_API_PATH}/campaigns.php`]: { action: 'campaigns', method: 'POST' },
  [`${PAYELANCER_API_PATH}/ad-formats.php`]: { action: 'ad-formats', method: 'GET' },
};

const AD_FORMATS: readonly JsonValue[] = [
  { id: 'banner_300x250', name: 'Medium Rectangle', dimensions: '300x250' },
  { id: 'banner_728x90', name: 'Leaderboard', dimensions: '728x90' },
  { id: 'banner_160x600', name: 'Wide Skyscraper', dimensions: '160x600' },
  { id: 'banner_320x50', name: 'Mobile Banner', dimensions: '320x50' },
  { id: 'native_1200x628', name: 'Native In-Feed', dimensions: '1200x628' },
];

/**
 * The Payelancer Adsense API (seed payelancer-adsense-api.txt) under
 * {prefix}/backend/api/v1: stats.php (publisher earnings or advertiser spend,
 * by the key's role), campaigns.php (advertisers create campaigns) and
 * ad-formats.php, authorized by X-API-KEY. Errors are {"success": false, "error": "<message>"}.
 */
export function createPayelancerMount(runtime: SandboxRuntime): SandboxMount {
  const dialect: ServiceDialect = { service: 'payelancer', error: (status, message) => failure(status, message) };
  let campaignCount = 0;

  function createCampaign(body: Buffer): Reply {
    const campaign = campaignRequest(body);
    if (!campaign.ok) return campaign.reply;
    const { name, budget, targetUrl } = campaign;
    campaignCount += 1;
    return jsonReply(200, {
      success: true,
      campaign: {
        id: `${700000 + campaignCount}C`,
        name,
        budget: amountNumber(budget),
        target_url: targetUrl,
        status: 'active',
        created_at: runtime.clock().toISOString(),
      },
    });
  }

  function answer(request: IncomingMessage, subPath: string, body: Buffer): Reply {
    const route = ROUTES[subPath];
    if (route === undefined) return failure(404, 'Endpoint not found');
    if (request.method !== route.method)
      return { ...failure(405, 'Method not allowed'), headers: { allow: route.method } };
    const key = headerValue(request, 'x-api-key');
    if (key === undefined) return failure(401, 'API key required');
    const role =
      key === runtime.keys.publisher ? 'publisher' : key === runtime.keys.advertiser ? 'advertiser' : undefined;
    if (role === undefined) return failure(401, 'Invalid API key');
    switch (route.action) {
      case 'stats': {
        const ad = runtime.world.stateOn(runtime.today()).payelancer;
        const counters = role === 'publisher' ? ad.publisher : ad.advertiser;
        const amount = amountNumber(counters.amount);
        return jsonReply(200, {
          success: true,
          role,
          stats:
            role === 'publisher'
              ? { impressions: counters.impressions, clicks: counters.clicks, earnings: amount }
              : { impressions: counters.impressions, clicks: counters.clicks, spent: amount },
        });
      }
      case 'campaigns':
        return role === 'advertiser'
          ? createCampaign(body)
          : failure(403, 'Only advertiser accounts can create campaigns');
      default:
        return jsonReply(200, { success: true, formats: AD_FORMATS });
    }
  }

  return {
    prefix: PAYELANCER_PREFIX,
    handle(request, response, subPath, body) {
      return serveThroughGate(runtime, dialect, request, response, ROUTES[subPath]?.action ?? '(unknown)', () =>
        answer(request, subPath, body),
      );
    },
  };
}

/** A campaign as the body asks for it, or the refusal naming every field that is wrong. */
function campaignRequest(
  body: Buffer,
): { ok: false; reply: Reply } | { ok: true; name: string; budget: bigint; targetUrl: string } {
  const text = body.toString('utf8');
  let plain: unknown;
  let exact: unknown;
  try {
    plain = JSON.parse(text);
    exact = parseJsonExact(text);
  } catch {
    return { ok: false, reply: failure(400, 'Invalid JSON body') };
  }
  if (!isRecord(plain) || !isRecord(exact))
    return { ok: false, reply: failure(400, 'The body must be a JSON object with name, budget and target_url') };
  const problems: string[] = [];
  const name = typeof plain.name === 'string' ? plain.name.trim() : '';
  if (name === '') problems.push('name is required');
  else if (name.length > 255) problems.push('name must be at most 255 characters');
  let budget: bigint | undefined;
  if (plain.budget === undefined || plain.budget === null) problems.push('budget is required');
  else if (typeof plain.budget !== 'number' || typeof exact.budget !== 'string')
    problems.push('budget must be a number');
  else {
    budget = exactBudget(exact.budget);
    if (budget === undefined) problems.push('budget must be a positive amount with at most 2 decimals');
  }
  const targetUrl = typeof plain.target_url === 'string' ? plain.target_url.trim() : '';
  if (targetUrl === '') problems.push('target_url is required');
  else if (!isWebUrl(targetUrl)) problems.push('target_url must be a valid http(s) URL');
  if (problems.length > 0 || budget === undefined) return { ok: false, reply: failure(400, problems.join('; ')) };
  return { ok: true, name, budget, targetUrl };
}

function failure(status: number, message: string): Reply {
  return jsonReply(status, { success: false, error: message });
}

function headerValue(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  return text ? text : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function exactBudget(text: string): bigint | undefined {
  try {
    const micros = parseMicros(text);
    return micros > 0n && roundMicros(micros, 2) === micros ? micros : undefined;
  } catch {
    return undefined;
  }
}

function isWebUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
