export {
  createPanelClient,
  type PanelBalance,
  type PanelClient,
  type PanelInvalidOrder,
  type PanelStatusBatchReport,
} from './panel/panel-client.js';
export { PANEL_BATCH_MODES, type PanelBatchMode } from './panel/panel-batch-mode.js';
export {
  createPanelExchange,
  errorField as panelErrorField,
  type PanelExchange,
  type PanelExchangeOptions,
} from './panel/panel-exchange.js';
export { PanelAddReplySchema, PanelCancelReplySchema, PanelServicesReplySchema } from './panel/panel-wire.js';
export { PANEL_RATE_LIMIT } from './panel/panel-rate-limit.js';
export {
  readOrdersFile,
  streamOrdersFile,
  unusableOrdersFile,
  type OrdersFileOrder,
  type OrdersFileProblem,
} from './panel/orders-file.js';
export {
  startPanelProxy,
  type AddOutcome,
  type AddRequest,
  type KeptAt,
  type PanelProxyLedger,
} from './panel/panel-proxy.js';
export {
  PANEL_KIND,
  asPanelSource,
  isPanelSource,
  panelSourceEntry,
  resolvePanelSource,
  type PanelSourceConfig,
} from './panel/panel-config.js';
export {
  calendarDateIn,
  panelOrderUpdateFormat,
  startWebhookReceiver,
  webhookEvent,
  webhookFormat,
  webhookId,
  webhookInboxEntry,
  webhookPayout,
  webhookTimestamp,
  type PanelOrderUpdateWebhook,
  type RecordedWebhook,
  type WebhookFormat,
  type WebhookInbox,
  type WebhookSource,
} from './webhooks/index.js';
export { readSandboxDay } from './sandbox-day.js';
export { storedRepliesHttp, type StoredReply } from './stored-replies-http.js';
export { readStoredPanelClose, type StoredPanelClose } from './panel/stored-panel-close.js';
export {
  BANK_STATEMENT_KIND,
  bankLedgerAccounts,
  bankStatementSourceEntry,
  isBankStatementSource,
  resolveBankStatementSource,
  type BankStatementSourceConfig,
} from './bank-statement/bank-statement-config.js';
export { readStatement } from './bank-statement/read-statement.js';
export { readStatementBalances } from './bank-statement/statement-balances.js';
