import { jsonReply, type FakeReply } from '../fake-kit/index.js';

/** The bodies of Xero's 400s: a post it cannot read, a query it cannot parse, validation messages. */

export function postDataInvalid(message: string): FakeReply {
  return jsonReply(400, { ErrorNumber: 14, Type: 'PostDataInvalidException', Message: message });
}

export function queryParseError(message: string): FakeReply {
  return jsonReply(400, { ErrorNumber: 16, Type: 'QueryParseException', Message: message });
}

export function messages(texts: readonly string[]): { Message: string }[] {
  return texts.map((text) => ({ Message: text }));
}

export function optionalMessages(texts: readonly string[]): { Message: string }[] | undefined {
  return texts.length > 0 ? messages(texts) : undefined;
}
