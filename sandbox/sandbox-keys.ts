/**
 * The API keys the sandbox accepts. They are fixed and documented so a user can
 * point a ledgerline configuration at the sandbox; they open nothing real.
 */
export const SANDBOX_KEYS = {
  panel: 'sandbox-panel-key',
  publisher: 'sandbox-publisher-key',
  advertiser: 'sandbox-advertiser-key',
} as const;
export type SandboxKeys = { readonly [K in keyof typeof SANDBOX_KEYS]: string };
