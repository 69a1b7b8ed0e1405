export { PLAIN_TEXT_FORMATS, writePlainTextLedger, type PanelBalanceAssertion, type PlainTextFormat, type PlainTextLedgerOptions } from './plain-text-ledger.js';
