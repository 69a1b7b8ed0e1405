export {
  writePlainTextLedger,
  type PanelBalanceAssertion,
  type PlainTextFormat,
  type PlainTextLedgerOptions,
} from './plain-text-ledger.js';
